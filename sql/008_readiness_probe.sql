-- /readyz proves the database takes writes, not only connections: each process updates its own row
-- here (after taking the same row-exclusive locks an ingest write takes on events and deliveries).
CREATE TABLE readiness_probes (
  process text PRIMARY KEY,
  checked_at timestamptz NOT NULL
);
