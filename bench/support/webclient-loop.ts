/**
 * The baseline the delivery benchmark compares Switchboard with: a plain loop calling the official
 * WebClient's chat.postMessage with N calls in flight, no queue, no durability. Message i goes to
 * channels[i % channels.length] with the text `bench n=<i>`, the same text Switchboard's bench
 * event type renders, so arrivals are checked the same way for both.
 */
import { LogLevel, WebClient, WebClientEvent, type Logger } from '@slack/web-api';

export interface WebClientLoopJob {
  apiUrl: string;
  token: string;
  channels: string[];
  count: number;
  concurrency: number;
  /**
   * 'none': retries off, a 429 rejected at once (as Switchboard configures its own client).
   * 'default': WebClient's defaults: ten retries in about thirty minutes, and on a 429 the client
   * pauses its queue for Retry-After seconds, then retries.
   */
  retries: 'none' | 'default';
}

export interface WebClientLoopResult {
  ok: number;
  failed: number;
  /** Error codes of failed calls, with counts. */
  errors: Record<string, number>;
  /** 429 answers the client saw (WebClient's rate_limited event). */
  rateLimitedAnswers: number;
  /** Epoch ms (high resolution) when the last answer came. */
  finishedAt: number;
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

/** Every benchmark message's text starts with this, followed by its number. */
export const MESSAGE_PREFIX = 'bench n=';
export const messageText = (n: number) => `${MESSAGE_PREFIX}${n}`;

/** Builds the client before timing starts. */
export function webClientFor(job: WebClientLoopJob): WebClient {
  const options = job.retries === 'none' ? { retryConfig: { retries: 0 }, rejectRateLimitedCalls: true } : {};
  return new WebClient(job.token, { slackApiUrl: job.apiUrl, logger: quiet, maxRequestConcurrency: job.concurrency, ...options });
}

export async function runWebClientLoop(web: WebClient, job: WebClientLoopJob): Promise<WebClientLoopResult> {
  const result: WebClientLoopResult = { ok: 0, failed: 0, errors: {}, rateLimitedAnswers: 0, finishedAt: 0 };
  web.on(WebClientEvent.RATE_LIMITED, () => result.rateLimitedAnswers++);
  let next = 0;
  const lane = async () => {
    while (next < job.count) {
      const n = next++;
      try {
        await web.chat.postMessage({ channel: job.channels[n % job.channels.length], text: messageText(n) });
        result.ok++;
      } catch (error) {
        result.failed++;
        const e = error as { code?: string; data?: { error?: string } };
        const code = e.data?.error ?? e.code ?? 'unknown';
        result.errors[code] = (result.errors[code] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.count) }, lane));
  result.finishedAt = performance.timeOrigin + performance.now();
  return result;
}
