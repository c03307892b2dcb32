/**
 * Cancelling a message Slack holds for later (status `scheduled`, handed over with
 * chat.scheduleMessage): chat.deleteScheduledMessage with its id, then the delivery is cancelled.
 * Slack refuses when the message is about to post ("can't delete within 60 s of send" [D-DELS])
 * or already posted; that becomes a 409 saying so. The call goes through the connection's door
 * (callSlackAsConnection), which renews a rotating token first.
 */
import type { AppContext } from '../app-context.ts';
import { callSlackAsConnection } from '../connections/call-slack-as-connection.ts';
import { NotFoundError, SwitchboardError } from '../errors.ts';
import { cancelDelivery } from './cancel-deliveries.ts';
import { getDeliveryRecord, type DeliveryRecord } from './delivery-queries.ts';

type SlackDeps = Pick<AppContext, 'db' | 'keyring' | 'config' | 'clock' | 'logger'>;

export async function cancelScheduledDelivery(ctx: SlackDeps, projectId: string, id: string): Promise<DeliveryRecord> {
  const { rows } = await ctx.db.query<{ status: string; scheduled_message_id: string | null; slack_channel: string | null; connection_id: string | null }>(
    `SELECT d.status, d.scheduled_message_id, d.slack_channel, CASE WHEN c.bot_token_sealed IS NOT NULL THEN c.id END AS connection_id
     FROM deliveries d JOIN destinations t ON t.id = d.destination_id LEFT JOIN connections c ON c.id = t.connection_id
     WHERE d.project_id = $1 AND d.id = $2`,
    [projectId, id],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('Delivery', id);
  if (row.status !== 'scheduled' || !row.scheduled_message_id || !row.slack_channel) {
    throw new SwitchboardError('delivery_not_cancellable', `Delivery ${id} is not scheduled in Slack`, { status: row.status });
  }
  if (!row.connection_id) {
    throw new SwitchboardError('delivery_not_cancellable', `Delivery ${id} was scheduled through a connection that is disconnected: reconnect Slack first`, { status: row.status });
  }
  const { slack_channel: channel, scheduled_message_id: scheduledId } = row;
  try {
    await callSlackAsConnection(ctx, row.connection_id, (client) => client.chat.deleteScheduledMessage({ channel, scheduled_message_id: scheduledId }));
  } catch (error) {
    // A refused token, a missing scope, a rate limit or an unreachable Slack keep their own answer.
    if (!(error instanceof SwitchboardError) || error.code !== 'slack_error') throw error;
    const slackError = String(error.details?.slack_error);
    throw new SwitchboardError('delivery_not_cancellable', `Slack would not cancel the scheduled message (${slackError}): it may be posting now or already posted`, {
      status: row.status,
      slack_error: slackError,
    });
  }
  await ctx.db.query(`UPDATE deliveries SET status = 'cancelled', updated_at = now() WHERE id = $1 AND status = 'scheduled'`, [id]);
  return getDeliveryRecord(ctx.db, projectId, id);
}

/**
 * Cancels one delivery whatever stage it waits at: in our queue (cancel-deliveries.ts) or
 * scheduled in Slack. Returns whether the queue changed (the workers are then woken).
 */
export async function cancelAnyDelivery(
  ctx: SlackDeps,
  projectId: string,
  id: string,
): Promise<{ delivery: DeliveryRecord; queueChanged: boolean }> {
  const { rows } = await ctx.db.query<{ status: string }>('SELECT status FROM deliveries WHERE id = $1 AND project_id = $2', [id, projectId]);
  if (rows[0]?.status === 'scheduled') return { delivery: await cancelScheduledDelivery(ctx, projectId, id), queueChanged: false };
  return { delivery: await cancelDelivery(ctx.db, projectId, id), queueChanged: true };
}
