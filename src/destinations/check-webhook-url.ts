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
  // URL.origin leaves the user name and password out, so they are refused first: Slack's webhook
  // URLs never carry them, and a stored one would be shown with the hint and sent with every message.
  if (url.username || url.password) {
    throw new ValidationError(
      'webhook_url must not contain a user name or password (user:password@): paste the Webhook URL exactly as Slack shows it under Incoming Webhooks',
      { field: 'webhook_url' },
      'webhook_url_invalid',
    );
  }
  if (url.hostname === new URL(SLACK_ORIGIN).hostname && url.port !== '') {
    throw new ValidationError(`webhook_url must not name a port: Slack's webhook URLs start with ${SLACK_ORIGIN}/services/`, { field: 'webhook_url' }, 'webhook_url_invalid');
  }
  const allowed = url.origin === SLACK_ORIGIN || allowedOrigins.includes(url.origin);
  if (!allowed) {
    // The other origins the operator allowed (SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS) are internal
    // addresses: a tenant is told they exist, never what they are.
    throw new ValidationError(
      `webhook_url must start with ${SLACK_ORIGIN}/services/ (got a URL on ${url.origin})` +
        (allowedOrigins.length ? ', or with an origin the operator allowed' : ''),
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
