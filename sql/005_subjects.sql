-- Messages that live: events about one subject (an approval, a challenge, an incident) update
-- or thread under the subject's first message in each destination, and scheduled messages.

-- A project's own policy for its event types (null: the built-in's, or 'new').
ALTER TABLE event_types ADD COLUMN subject_policy jsonb;

-- What the subject's root becomes when this event updates it (rendered once, like message).
ALTER TABLE events ADD COLUMN update_message jsonb;

-- Per destination: event type → policy, overriding the event type's.
ALTER TABLE destinations ADD COLUMN subject_policies jsonb NOT NULL DEFAULT '{}'::jsonb;
-- Channel destinations may post ephemerally, visible to this one user only.
ALTER TABLE destinations ADD COLUMN ephemeral_user_id text;

-- Resolved at ingest for events with a subject: new | thread | update | update_and_thread.
ALTER TABLE deliveries ADD COLUMN subject_action text;
ALTER TABLE deliveries ADD COLUMN reply_broadcast boolean NOT NULL DEFAULT false;
-- Set when the event asked for later delivery (deliver_at): such deliveries wait for their time
-- without holding up the destination's line.
ALTER TABLE deliveries ADD COLUMN deliver_at timestamptz;
-- Slack's id of a message scheduled with chat.scheduleMessage, and when it will post.
ALTER TABLE deliveries ADD COLUMN scheduled_message_id text;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
  CHECK (status IN ('pending', 'sending', 'scheduled', 'sent', 'failed', 'dead', 'expired', 'cancelled'));

-- The subject's first message in each destination: later events update it or reply in its thread.
CREATE TABLE subject_messages (
  destination_id text NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  subject text NOT NULL,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  channel text NOT NULL,
  ts text NOT NULL,
  delivery_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (destination_id, subject)
);
CREATE INDEX subject_messages_project_subject ON subject_messages (project_id, subject);
CREATE INDEX events_project_subject ON events (project_id, subject) WHERE subject IS NOT NULL;
CREATE INDEX deliveries_scheduled ON deliveries (destination_id, run_at) WHERE status = 'pending' AND deliver_at IS NOT NULL;
