-- Outages: a Slack workspace (or a webhook host) whose sends fail with errors worth waiting out
-- (HTTP 5xx, timeouts, network errors, Slack's internal_error…). While one lasts, the heads of the
-- lines posting there do not each wait out their own growing backoff: one of them (the one due
-- soonest) is tried every few seconds as a probe, and the first send there that gets through ends
-- the outage and makes every head waiting on it due at once.
--
-- key: 'team:T…' (Web API destinations of a workspace), 'hook:T…' (its incoming webhooks), or
-- 'hook:<host>' for a webhook URL that names no workspace.
CREATE TABLE outages (
  key text PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  -- Failed sends since it started; no send there got through in between.
  failures integer NOT NULL DEFAULT 1,
  last_error text,
  last_failure_at timestamptz NOT NULL DEFAULT now(),
  -- When a waiting head is tried next, whatever its own backoff says.
  probe_at timestamptz NOT NULL
);

-- Set while a pending delivery waits out a transient failure (and kept while it is being tried
-- again): the outage it waits on. Cleared by any other outcome.
ALTER TABLE deliveries ADD COLUMN outage_key text;
CREATE INDEX deliveries_waiting_on_outage ON deliveries (outage_key, run_at)
  WHERE outage_key IS NOT NULL AND status IN ('pending', 'sending');
