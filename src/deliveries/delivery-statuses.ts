/**
 * The states a delivery can be in, as the API shows them, and which operations each allows.
 * `held` is not stored: it is a pending delivery whose destination needs attention (the engine
 * claims nothing for such a destination, so its line waits until an admin fixes it).
 * `scheduled`: handed to Slack with chat.scheduleMessage, which posts it at its time.
 */
export const DELIVERY_STATUSES = ['pending', 'held', 'sending', 'scheduled', 'sent', 'failed', 'dead', 'expired', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Finished without reaching Slack: an operator may send these again. */
export const RETRYABLE_STATUSES = ['dead', 'failed', 'expired', 'cancelled'] as const;
export type RetryableStatus = (typeof RETRYABLE_STATUSES)[number];

/** Still waiting in line: an operator may cancel these. */
export const CANCELLABLE_STATUSES = ['pending', 'held'] as const;

/** The status shown for a stored one, given its destination's status (SQL, for queries). */
export const SHOWN_STATUS_SQL = `CASE WHEN d.status = 'pending' AND t.status = 'needs_attention' THEN 'held' ELSE d.status END`;

export function isRetryable(status: string): status is RetryableStatus {
  return (RETRYABLE_STATUSES as readonly string[]).includes(status);
}

export function isCancellable(status: string): boolean {
  return (CANCELLABLE_STATUSES as readonly string[]).includes(status);
}
