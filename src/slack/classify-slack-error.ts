/** Turns one Slack error string (Web API `error` or webhook body) into a send outcome. */
import type { SendOutcome } from './slack-transport.ts';
import { BROKEN_DESTINATION_HINTS, CONNECTION_ERRORS, REJECTED_MESSAGE_ERRORS, TRANSIENT_ERRORS } from './slack-error-hints.ts';

export function classifySlackError(error: string): SendOutcome {
  const hint = BROKEN_DESTINATION_HINTS[error];
  if (hint) return { kind: 'destination_broken', error, hint, scope: CONNECTION_ERRORS.has(error) ? 'connection' : 'destination' };
  if (REJECTED_MESSAGE_ERRORS.has(error)) return { kind: 'rejected', error };
  if (TRANSIENT_ERRORS.has(error)) return { kind: 'retry', error };
  // Something we do not know: retried a bounded number of times, then dead-lettered.
  return { kind: 'retry', error, unknown: true };
}
