/**
 * Cancelling a message Slack holds for later (status `scheduled`, handed over with
 * chat.scheduleMessage): chat.deleteScheduledMessage with its id, then the delivery is cancelled.
 * Slack refuses when the message is about to post ("can't delete within 60 s of send" [D-DELS])
 * or already posted; that becomes a 409 saying so.
 */
import type { AppContext } from '../app-context.ts';
import { NotFoundError, SwitchboardError } from '../errors.ts';
import { createWebClient } from '../slack/create-web-client.ts';
import { cancelDelivery } from './cancel-deliveries.ts';
import { getDeliveryRecord, type DeliveryRecord } from './delivery-queries.ts';

export async function cancelScheduledDelivery(ctx: Pick<AppContext, 'db' | 'keyring' | 'config'>, projectId: string, id: string): Promise<DeliveryRecord> {
  const { rows } = await ctx.db.query<{ status: string; scheduled_message_id: string | null; slack_channel: string | null; bot_token_sealed: string | null }>(
    `SELECT d.status, d.scheduled_message_id, d.slack_channel, c.bot_token_sealed
     FROM deliveries d JOIN destinations t ON t.id = d.destination_id LEFT JOIN connections c ON c.id = t.connection_id
     WHERE d.project_id = $1 AND d.id = $2`,
    [projectId, id],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('Delivery', id);
  if (row.status !== 'scheduled' || !row.scheduled_message_id || !row.slack_channel) {
    throw new SwitchboardError('delivery_not_cancellable', `Delivery ${id} is not scheduled in Slack`, { status: row.status });
  }
  if (!row.bot_token_sealed) {
    throw new SwitchboardError('delivery_not_cancellable', `Delivery ${id} was scheduled through a connection that is disconnected: reconnect Slack first`, { status: row.status });
  }
  const client = createWebClient(ctx.keyring.decrypt(row.bot_token_sealed), { slackApiUrl: ctx.config.slackApiUrl });
  try {
    await client.chat.deleteScheduledMessage({ channel: row.slack_channel, scheduled_message_id: row.scheduled_message_id });
  } catch (error) {
    const slackError = (error as { data?: { error?: string } }).data?.error;
    if (slackError) {
      throw new SwitchboardError('delivery_not_cancellable', `Slack would not cancel the scheduled message (${slackError}): it may be posting now or already posted`, {
        status: row.status,
        slack_error: slackError,
      });
    }
    throw new SwitchboardError('slack_unreachable', `Could not reach Slack to cancel the scheduled message: ${(error as Error).message}`);
  }
  await ctx.db.query(`UPDATE deliveries SET status = 'cancelled', updated_at = now() WHERE id = $1 AND status = 'scheduled'`, [id]);
  return getDeliveryRecord(ctx.db, projectId, id);
}

/**
 * Cancels one delivery whatever stage it waits at: in our queue (cancel-deliveries.ts) or
 * scheduled in Slack. Returns whether the queue changed (the workers are then woken).
 */
export async function cancelAnyDelivery(
  ctx: Pick<AppContext, 'db' | 'keyring' | 'config'>,
  projectId: string,
  id: string,
): Promise<{ delivery: DeliveryRecord; queueChanged: boolean }> {
  const { rows } = await ctx.db.query<{ status: string }>('SELECT status FROM deliveries WHERE id = $1 AND project_id = $2', [id, projectId]);
  if (rows[0]?.status === 'scheduled') return { delivery: await cancelScheduledDelivery(ctx, projectId, id), queueChanged: false };
  return { delivery: await cancelDelivery(ctx.db, projectId, id), queueChanged: true };
}
