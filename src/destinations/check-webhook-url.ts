/**
 * Incoming-webhook URLs are secrets that Slack hands out as https://hooks.slack.com/services/T…/B…/….
 * Anything else is refused with a reason, except the origins the operator allows explicitly
 * (the local emulator) — so a typo cannot send messages, or the URL itself, somewhere else.
 */
import { ValidationError } from '../errors.ts';

const SLACK_ORIGIN = 'https://hooks.slack.com';
const SERVICES_PATH = /^\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+$/;

export function checkWebhookUrl(raw: string, allowedOrigins: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError('webhook_url is not a URL: paste the Webhook URL Slack shows under Incoming Webhooks', { field: 'webhook_url' }, 'webhook_url_invalid');
  }
  const allowed = url.origin === SLACK_ORIGIN || allowedOrigins.includes(url.origin);
  if (!allowed) {
    throw new ValidationError(
      `webhook_url must start with ${SLACK_ORIGIN}/services/ (got a URL on ${url.origin})` +
        (allowedOrigins.length ? `; also allowed: ${allowedOrigins.join(', ')}` : ''),
      { field: 'webhook_url' },
      'webhook_url_invalid',
    );
  }
  if (!SERVICES_PATH.test(url.pathname) || url.search || url.hash) {
    throw new ValidationError(
      'webhook_url must look like https://hooks.slack.com/services/T…/B…/… with nothing after the last part',
      { field: 'webhook_url' },
      'webhook_url_invalid',
    );
  }
  return url.toString();
}
