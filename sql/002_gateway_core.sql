-- The gateway core: tenants (projects), their API keys, Slack connections, destinations,
-- project-defined event types, accepted events and the deliveries planned for them.
-- Deliveries are the queue the delivery engine works through (graphile-worker vocabulary:
-- run_at, attempts, max_attempts, last_error, locked_by, locked_at).

CREATE TABLE projects (
  id text PRIMARY KEY,
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Keys are shown once; only a SHA-256 hash is kept.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  last4 text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_project ON api_keys (project_id);

-- A Slack workspace installation. Tokens are sealed (AES-256-GCM with a key id), never plaintext.
CREATE TABLE connections (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  team_id text NOT NULL,
  team_name text,
  enterprise_id text,
  bot_user_id text,
  app_id text,
  scopes text[] NOT NULL DEFAULT '{}',
  bot_token_sealed text,
  bot_token_hint text,
  refresh_token_sealed text,
  token_expires_at timestamptz,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_attention', 'disconnected')),
  status_reason text,
  status_hint text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX connections_project_team ON connections (project_id, coalesce(enterprise_id, ''), team_id);

CREATE TABLE destinations (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('webhook', 'channel', 'dm')),
  connection_id text REFERENCES connections (id) ON DELETE RESTRICT,
  channel_id text,
  user_id text,
  user_email text,
  webhook_url_sealed text,
  webhook_url_hint text,
  enabled boolean NOT NULL DEFAULT true,
  subscriptions text[] NOT NULL DEFAULT '{}',
  condition text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_attention', 'disabled')),
  status_reason text,
  status_hint text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX destinations_project ON destinations (project_id);

-- Project-defined event types, and overrides of built-in ones (same name).
CREATE TABLE event_types (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  default_severity text NOT NULL DEFAULT 'info',
  ttl_seconds integer,
  template jsonb NOT NULL,
  sample_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, name)
);

CREATE TABLE events (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  type text NOT NULL,
  idempotency_key text,
  subject text,
  severity text NOT NULL,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now(),
  deliver_at timestamptz,
  expires_at timestamptz,
  -- The rendered message ({ text, blocks }), stored once per event: every destination of the
  -- event gets the same one (a delivery may carry its own in deliveries.message).
  message jsonb NOT NULL
);
CREATE UNIQUE INDEX events_idempotency ON events (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX events_project_id ON events (project_id, id DESC);

CREATE TABLE deliveries (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  destination_id text NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  -- Order of acceptance. One global sequence, not a counter per destination: taking a number
  -- needs no lock, so concurrent ingests do not queue behind each other. An event accepted after
  -- another's 202 always gets a larger number; two concurrent ones may commit in either order,
  -- and either order is right for them.
  seq bigserial NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'expired', 'cancelled')),
  -- NULL: send the event's message. Set when this destination needs a different one.
  message jsonb,
  run_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 25,
  last_error text,
  locked_by text,
  locked_at timestamptz,
  slack_channel text,
  slack_ts text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_due ON deliveries (destination_id, seq) WHERE status IN ('pending', 'sending');
CREATE INDEX deliveries_project_created ON deliveries (project_id, created_at DESC, id DESC);


-- Ingest keeps each project's routing table (destinations, event types, name) and API key lookups
-- in memory; these notifications tell every process when to drop them. The payload is the
-- project id ('' for API keys, whose cache is small and cleared whole).
CREATE FUNCTION notify_project_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('project_changed', coalesce(NEW.project_id, OLD.project_id));
  RETURN NULL;
END $$;
CREATE TRIGGER destinations_changed AFTER INSERT OR UPDATE OR DELETE ON destinations
  FOR EACH ROW EXECUTE FUNCTION notify_project_changed();
CREATE TRIGGER event_types_changed AFTER INSERT OR UPDATE OR DELETE ON event_types
  FOR EACH ROW EXECUTE FUNCTION notify_project_changed();

CREATE FUNCTION notify_project_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('project_changed', coalesce(NEW.id, OLD.id));
  RETURN NULL;
END $$;
CREATE TRIGGER projects_changed AFTER UPDATE OR DELETE ON projects
  FOR EACH ROW EXECUTE FUNCTION notify_project_row_changed();

CREATE FUNCTION notify_api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- last_used_at bookkeeping does not change who may call.
  IF TG_OP = 'UPDATE' AND NEW.revoked_at IS NOT DISTINCT FROM OLD.revoked_at THEN RETURN NULL; END IF;
  PERFORM pg_notify('api_keys_changed', '');
  RETURN NULL;
END $$;
CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION notify_api_keys_changed();
