/**
 * Incoming-webhook transport: one HTTP POST of the message JSON to the webhook URL, with a
 * timeout and no redirects followed. Slack answers "HTTP 200 with plain text body `ok`" on
 * success and plain-text error strings with "more relevant HTTP status codes" otherwise
 * [D-WH]; 429 carries Retry-After [D-RATE]. A 3xx means the URL is not a webhook (a redirect to
 * api.slack.com was seen in the wild), so it is treated as a broken destination, not retried.
 */
import { scrubSecrets } from '../logging/scrub-secrets.ts';
import { maskSecret } from '../secrets/mask-secret.ts';
import { classifySlackError } from './classify-slack-error.ts';
import type { OutgoingMessage, SendReport, SendTarget, SlackTransport } from './slack-transport.ts';
import { BROKEN_DESTINATION_HINTS, WEBHOOK_HINTS } from './slack-error-hints.ts';

export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value); // Retry-After may also be an HTTP date
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export class WebhookTransport implements SlackTransport {
  constructor(private readonly options: { timeoutMs: number }) {}

  async send(target: SendTarget, message: OutgoingMessage): Promise<SendReport> {
    if (target.kind !== 'webhook') throw new Error('WebhookTransport sends to webhook destinations only');
    // Webhooks cannot be addressed to a thread by ts they never returned; thread_ts is passed through when known.
    const body = { text: message.text, blocks: message.blocks, thread_ts: message.thread_ts };
    const request = { url: maskSecret(target.url), body };
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    if (hasUserinfo(target.url)) {
      // Stored before such URLs were refused (check-webhook-url.ts): fetch would refuse it on every
      // try, naming the whole URL. Broken until someone pastes the URL again.
      const error = 'webhook_url_has_credentials';
      return { outcome: { kind: 'destination_broken', error, hint: WEBHOOK_HINTS[error], scope: 'destination' }, request, latencyMs: 0 };
    }
    let res: Response;
    try {
      res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      // Error messages may quote the URL (the webhook's secret path): scrubbed before anyone keeps them.
      const reason = name === 'TimeoutError' ? `timeout after ${this.options.timeoutMs} ms` : scrubSecrets(`network error: ${(error as Error).message}`);
      return { outcome: { kind: 'retry', error: reason }, request, latencyMs: latency() };
    }
    const text = scrubSecrets((await res.text().catch(() => '')).slice(0, 2000));
    const report = (outcome: SendReport['outcome']): SendReport => ({ outcome, request, httpStatus: res.status, response: text, latencyMs: latency() });
    if (res.status === 200) return report({ kind: 'sent' });
    if (res.status === 429) {
      return report({ kind: 'rate_limited', error: 'ratelimited', retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')) ?? 30 });
    }
    if (res.status >= 300 && res.status < 400) {
      return report({ kind: 'destination_broken', error: 'webhook_redirected', hint: BROKEN_DESTINATION_HINTS.webhook_redirected, scope: 'destination' });
    }
    if (res.status >= 500) return report({ kind: 'retry', error: `http_${res.status}${text && !text.startsWith('<') ? `: ${text.slice(0, 100)}` : ''}` });
    return report(classifyWebhook4xx(res.status, text.trim()));
  }
}

function hasUserinfo(url: string): boolean {
  try {
    const u = new URL(url);
    return Boolean(u.username || u.password);
  } catch {
    return false; // not a URL: fetch says so, and the message is scrubbed like any other
  }
}

const URL_STATUS_HINTS: Record<number, string> = { 401: 'webhook_forbidden', 403: 'webhook_forbidden', 404: 'webhook_not_found', 410: 'webhook_gone' };

/**
 * A 4xx from a webhook. "Classify by body string first, status second" (slack-platform.md §2):
 * Slack's body names the error (plain text; sometimes served as text/html). A string we do not
 * know is still permanent, judged by its status: 400 is about the message, 401/403/404/410 about
 * the URL. 408 (the request timed out on the way) is worth another try.
 */
export function classifyWebhook4xx(status: number, body: string): SendReport['outcome'] {
  const named = /^[a-z_]+$/.test(body) ? body : undefined;
  if (named) {
    const outcome = classifySlackError(named, 'webhook');
    if (!(outcome.kind === 'retry' && outcome.unknown)) return outcome;
  }
  const error = named ?? `http_${status}`;
  if (status === 408) return { kind: 'retry', error };
  const urlHint = URL_STATUS_HINTS[status];
  if (urlHint) return { kind: 'destination_broken', error, hint: WEBHOOK_HINTS[urlHint], scope: 'destination' };
  return { kind: 'rejected', error };
}

