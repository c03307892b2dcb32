/**
 * Turns one Slack error string (Web API `error` or webhook body) into a send outcome. The same
 * string can mean different things: `user_not_found` from the Web API is a DM destination
 * pointing at nobody (held until fixed), from a webhook a problem with that one message; a
 * webhook's `channel_not_found` is cured by a new URL, not by picking the channel again.
 */
import type { SendOutcome } from './slack-transport.ts';
import {
  BROKEN_DESTINATION_HINTS,
  CONNECTION_ERRORS,
  REJECTED_MESSAGE_ERRORS,
  ROOT_GONE_ERRORS,
  TRANSIENT_ERRORS,
  WEBHOOK_HINTS,
  WEBHOOK_REJECTED_ERRORS,
} from './slack-error-hints.ts';

export type SlackErrorSource = 'web_api' | 'webhook';

export function classifySlackError(error: string, source: SlackErrorSource = 'web_api'): SendOutcome {
  if (source === 'webhook') {
    if (WEBHOOK_REJECTED_ERRORS.has(error)) return { kind: 'rejected', error };
    // A webhook carries no token: whatever breaks it breaks this destination only.
    const hint = WEBHOOK_HINTS[error] ?? BROKEN_DESTINATION_HINTS[error];
    if (hint) return { kind: 'destination_broken', error, hint, scope: 'destination' };
  } else {
    const hint = BROKEN_DESTINATION_HINTS[error];
    if (hint) return { kind: 'destination_broken', error, hint, scope: CONNECTION_ERRORS.has(error) ? 'connection' : 'destination' };
  }
  if (REJECTED_MESSAGE_ERRORS.has(error)) return { kind: 'rejected', error };
  // The subject's root is gone: send-delivery.ts posts a new one; anywhere else, nothing to retry.
  if (ROOT_GONE_ERRORS.has(error)) return { kind: 'rejected', error };
  if (TRANSIENT_ERRORS.has(error)) return { kind: 'retry', error };
  // Something we do not know: retried a bounded number of times, then dead-lettered.
  return { kind: 'retry', error, unknown: true };
}
