/**
 * The one way Switchboard builds a Slack Web API client. Durability, retries and pacing are ours
 * (the delivery queue), so @slack/web-api's own retries are off and a 429 is returned to us at
 * once instead of pausing the client's in-memory queue. Only the base URL differs between Slack
 * and the local emulator.
 */
import { WebClient, LogLevel } from '@slack/web-api';

export interface WebClientOptions {
  slackApiUrl: string;
  timeoutMs?: number;
}

export function createWebClient(token: string | undefined, options: WebClientOptions): WebClient {
  return new WebClient(token, {
    slackApiUrl: options.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logLevel: LogLevel.ERROR,
  });
}
