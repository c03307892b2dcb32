-- A data contract per event type: a JSON Schema for the event's data, checked at ingest.
-- null: the built-in's schema for an override of a built-in type, none for a custom type.
ALTER TABLE event_types ADD COLUMN data_schema jsonb;
