-- "Connect Slack": install states, token refresh timing, and the webhook destinations an install created.

-- One row per install link. The state sent to Slack is a random nonce plus its HMAC; only the
-- nonce's SHA-256 is kept, so reading this table does not let anyone finish an install. A row is
-- used once (used_at), whichever process receives the callback. Rows are kept a day past expiry
-- so a late or replayed callback gets a precise answer, then deleted.
CREATE TABLE oauth_states (
  nonce_hash text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  redirect_uri text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);

-- When a rotating token should be refreshed: some time before token_expires_at, so a token is
-- never used in its last moments. NULL for tokens that do not expire.
ALTER TABLE connections ADD COLUMN token_refresh_due_at timestamptz;

-- The incoming webhook an OAuth install returned, made into a destination: it belongs to the
-- connection, so disconnecting pauses it and reconnecting resumes it.
CREATE TABLE connection_webhooks (
  connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  destination_id text NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  PRIMARY KEY (connection_id, destination_id)
);
CREATE INDEX connection_webhooks_destination ON connection_webhooks (destination_id);
