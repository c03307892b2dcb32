-- The delivery engine: pacing buckets, the attempt log, live workers.

-- The workspace a destination posts into (webhook URLs name it: /services/T…/…), for the
-- workspace-wide pacing bucket.
ALTER TABLE destinations ADD COLUMN team_id text;

-- Pacing as a generic cell rate algorithm (GCRA): one "theoretical arrival time" per bucket.
-- A message may go when tat <= now + tolerance; sending moves tat to max(tat, now) + interval.
-- A 429 sets paused_until. Keys: 'dst:<destination id>' and 'team:<team id>'.
CREATE TABLE pacing_buckets (
  key text PRIMARY KEY,
  tat timestamptz NOT NULL DEFAULT now(),
  paused_until timestamptz
);

-- Takes one slot from every bucket named (creating missing ones), or from none. Row locks make
-- concurrent workers take turns, so a bucket is never over-spent across processes.
CREATE FUNCTION take_pacing_slots(keys text[], intervals_ms double precision[], tolerances_ms double precision[])
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  i int;
  b record;
BEGIN
  INSERT INTO pacing_buckets (key, tat) SELECT k, now() FROM unnest(keys) AS k ON CONFLICT (key) DO NOTHING;
  FOR i IN 1 .. array_length(keys, 1) LOOP
    SELECT tat, paused_until INTO b FROM pacing_buckets WHERE key = keys[i] FOR UPDATE;
    IF b.paused_until > now() OR b.tat > now() + tolerances_ms[i] * interval '1 millisecond' THEN
      RETURN false;
    END IF;
  END LOOP;
  FOR i IN 1 .. array_length(keys, 1) LOOP
    UPDATE pacing_buckets SET tat = greatest(tat, now()) + intervals_ms[i] * interval '1 millisecond' WHERE key = keys[i];
  END LOOP;
  RETURN true;
END $$;

-- The pacing slots for a whole claim in one round trip: for each candidate delivery in order, its
-- destination bucket and (when it has one) its workspace bucket; returns the ids granted.
CREATE FUNCTION take_pacing_slots_for(ids text[], dst_keys text[], team_keys text[],
  dst_interval_ms double precision, dst_tolerance_ms double precision,
  team_interval_ms double precision, team_tolerance_ms double precision)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  i int;
BEGIN
  FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
    IF team_keys[i] IS NULL THEN
      IF take_pacing_slots(ARRAY[dst_keys[i]], ARRAY[dst_interval_ms], ARRAY[dst_tolerance_ms]) THEN
        RETURN NEXT ids[i];
      END IF;
    ELSIF take_pacing_slots(ARRAY[dst_keys[i], team_keys[i]], ARRAY[dst_interval_ms, team_interval_ms], ARRAY[dst_tolerance_ms, team_tolerance_ms]) THEN
      RETURN NEXT ids[i];
    END IF;
  END LOOP;
END $$;

-- Every attempt to send, with what was sent (secrets masked) and what Slack answered.
CREATE TABLE delivery_attempts (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  delivery_id text REFERENCES deliveries (id) ON DELETE CASCADE,
  destination_id text NOT NULL,
  attempt integer NOT NULL,
  worker text,
  started_at timestamptz NOT NULL,
  latency_ms integer NOT NULL,
  request jsonb NOT NULL,
  http_status integer,
  response jsonb,
  outcome text NOT NULL CHECK (outcome IN ('sent', 'retry', 'rate_limited', 'rejected', 'destination_broken')),
  error text,
  slack_channel text,
  slack_ts text
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempt);
CREATE INDEX delivery_attempts_started ON delivery_attempts (started_at);

-- Workers heartbeat here; a 'sending' delivery whose worker stopped beating is released.
CREATE TABLE workers (
  id text PRIMARY KEY,
  hostname text NOT NULL,
  pid integer NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE deliveries ADD COLUMN outcome_hint text;

-- A finished delivery put back in line (an operator's retry of a dead, failed, expired or
-- cancelled one) starts a fresh retry window and backoff: requeued_at is when, and
-- attempts_at_requeue how many attempts it had made before. Kept by a trigger, so every way of
-- requeueing (API, CLI, SQL by hand) gets the same rule; it also wakes the delivery workers.
ALTER TABLE deliveries ADD COLUMN requeued_at timestamptz;
ALTER TABLE deliveries ADD COLUMN attempts_at_requeue integer NOT NULL DEFAULT 0;

CREATE FUNCTION notify_deliveries_ready() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('deliveries_ready', '');
  RETURN NULL;
END $$;

CREATE FUNCTION note_delivery_requeued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.requeued_at := now();
  NEW.attempts_at_requeue := NEW.attempts;
  -- Identical notifications in one transaction are folded into one, so a bulk retry sends one.
  PERFORM pg_notify('deliveries_ready', '');
  RETURN NEW;
END $$;
CREATE TRIGGER deliveries_requeued BEFORE UPDATE OF status ON deliveries FOR EACH ROW
  WHEN (OLD.status IN ('dead', 'failed', 'expired', 'cancelled') AND NEW.status = 'pending')
  EXECUTE FUNCTION note_delivery_requeued();

-- A destination back to active (its address fixed, a test message got through, its connection
-- reinstalled) wakes the workers in every process, whichever code path made the change.
CREATE TRIGGER destinations_reactivated AFTER UPDATE OF status ON destinations FOR EACH ROW
  WHEN (NEW.status = 'active' AND OLD.status <> 'active')
  EXECUTE FUNCTION notify_deliveries_ready();

CREATE INDEX deliveries_expiring ON deliveries (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;
CREATE INDEX deliveries_in_flight ON deliveries (locked_by) WHERE status = 'sending';
CREATE INDEX destinations_with_status ON destinations (status);
