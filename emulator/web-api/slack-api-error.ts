/**
 * How a Web API method refuses: throw SlackApiError and the dispatcher answers HTTP 200 with
 * `{ok:false, error, ...extra}` ("The Web API only responds with 200 (yes, even for errors) or
 * 429" [NODE docs]); throw SlackRateLimited and it answers 429 with Retry-After.
 */

export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
    this.name = 'SlackApiError';
  }
}

export class SlackRateLimited extends Error {
  constructor(readonly retryAfter: number) {
    super(`rate limited, retry after ${retryAfter}s`);
    this.name = 'SlackRateLimited';
  }
}

/** Slack's answer to a malformed argument: invalid_arguments with the problem in response_metadata. */
export function invalidArguments(...messages: string[]): SlackApiError {
  return new SlackApiError('invalid_arguments', { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });
}
