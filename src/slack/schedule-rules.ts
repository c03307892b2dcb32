/** Slack's rules for chat.scheduleMessage, shared by ingest (what to hand Slack) and delivery. */

/** Nearer than a minute, our queue just posts at the time. */
export const SLACK_SCHEDULE_MIN_AHEAD_MS = 60_000;
/** Slack schedules "up to 120 days" ahead [D-SCHED]. */
export const SLACK_SCHEDULE_MAX_AHEAD_MS = 120 * 86_400_000;
/** "max 30 messages scheduled to post within any 5-minute window to the same channel" [D-SCHED]. */
export const SLACK_SCHEDULE_WINDOW = { messages: 30, ms: 5 * 60_000 } as const;

/** Whether Slack's chat.scheduleMessage can take a message for this time. */
export function canSlackSchedule(deliverAtMs: number, now: number): boolean {
  return deliverAtMs - now > SLACK_SCHEDULE_MIN_AHEAD_MS && deliverAtMs - now <= SLACK_SCHEDULE_MAX_AHEAD_MS;
}
