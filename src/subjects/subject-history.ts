/**
 * What one subject (an approval, a challenge, an incident) produced: its events and every message
 * they led to, per destination, with Slack permalinks for messages posted through the Web API.
 * Webhook messages have no permalink: Slack's webhook answer carries no ts [D-WH]. Lookups go
 * through the connection's door (callSlackAsConnection), which renews a rotating token first.
 */
import type { AppContext } from '../app-context.ts';
import { callSlackAsConnection } from '../connections/call-slack-as-connection.ts';
import { NotFoundError } from '../errors.ts';

export interface SubjectMessage {
  delivery_id: string;
  event_id: string;
  event_type: string;
  destination_id: string;
  destination_name: string;
  destination_kind: string;
  /** new, thread, update or update_and_thread; null for events without a subject policy. */
  action: string | null;
  status: string;
  is_root: boolean;
  channel: string | null;
  ts: string | null;
  permalink: string | null;
  sent_at: string | null;
}

export interface SubjectHistory {
  subject: string;
  events: { id: string; type: string; accepted_at: string }[];
  messages: SubjectMessage[];
}

const permalinks = new Map<string, string>();

async function permalink(ctx: AppContext, connectionId: string | null, channel: string | null, ts: string | null): Promise<string | null> {
  if (!connectionId || !channel || !ts) return null;
  const key = `${channel}/${ts}`;
  const known = permalinks.get(key);
  if (known) return known;
  try {
    const answer = await callSlackAsConnection(ctx, connectionId, (client) => client.chat.getPermalink({ channel, message_ts: ts }), { timeoutMs: 3000 });
    if (!answer.permalink) return null;
    if (permalinks.size > 10_000) permalinks.clear();
    permalinks.set(key, answer.permalink);
    return answer.permalink;
  } catch {
    return null; // the history is still useful without links
  }
}

export async function getSubjectHistory(ctx: AppContext, projectId: string, subject: string): Promise<SubjectHistory> {
  const iso = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
  const { rows: events } = await ctx.db.query<{ id: string; type: string; accepted_at: string }>(
    `SELECT id, type, to_char(accepted_at AT TIME ZONE 'UTC', ${iso}) AS accepted_at FROM events
     WHERE project_id = $1 AND subject = $2 ORDER BY id LIMIT 500`,
    [projectId, subject],
  );
  if (events.length === 0) throw new NotFoundError('Subject', subject);
  const { rows } = await ctx.db.query<Omit<SubjectMessage, 'permalink'> & { connection_id: string | null }>(
    `SELECT d.id AS delivery_id, d.event_id, e.type AS event_type, d.destination_id, t.name AS destination_name, t.kind AS destination_kind,
       d.subject_action AS action, d.status, coalesce(r.delivery_id = d.id, false) AS is_root,
       d.slack_channel AS channel, d.slack_ts AS ts, to_char(d.sent_at AT TIME ZONE 'UTC', ${iso}) AS sent_at,
       CASE WHEN c.bot_token_sealed IS NOT NULL THEN c.id END AS connection_id
     FROM deliveries d
     JOIN events e ON e.id = d.event_id
     JOIN destinations t ON t.id = d.destination_id
     LEFT JOIN connections c ON c.id = t.connection_id
     LEFT JOIN subject_messages r ON r.destination_id = d.destination_id AND r.subject = e.subject
     WHERE d.project_id = $1 AND d.event_id = ANY($2)
     ORDER BY d.destination_id, d.seq`,
    [projectId, events.map((e) => e.id)],
  );
  const messages = await Promise.all(
    rows.map(async ({ connection_id, ...m }) => ({ ...m, permalink: await permalink(ctx, connection_id, m.channel, m.ts) })),
  );
  return { subject, events, messages };
}
