/**
 * The shape of one emulated Web API method: who may call it (a bot or user token, an app-level
 * token in the header, or no token), the scopes it needs, and its handler. Handlers are plain
 * functions of a MethodContext and return Slack's success body, or throw SlackApiError.
 */
import type { EmulatorState } from '../state/emulator-state.ts';
import type { TokenKind } from '../state/model.ts';
import type { TokenGrant } from '../state/tokens.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import type { SocketModeHub } from '../socket-mode/socket-mode-hub.ts';
import type { ApiArgs } from './api-args.ts';
import type { ApiRequest } from './read-api-request.ts';
import { SlackApiError } from './slack-api-error.ts';

export const MethodAuth = {
  /** A bot or user token, in the header or the `token` field. */
  token: 'token',
  /** An app-level (xapp-) token, in the Authorization header only [REF apps.connections.open]. */
  appToken: 'app_token',
  /** No token (oauth.v2.access uses client credentials). */
  none: 'none',
} as const;
export type MethodAuth = (typeof MethodAuth)[keyof typeof MethodAuth];

export interface EmulatorServices {
  state: EmulatorState;
  limits: RateLimiter;
  socketMode: SocketModeHub;
}

export interface MethodContext extends EmulatorServices {
  method: string;
  args: ApiArgs;
  request: ApiRequest;
  /** Scheme, host and port the caller used, e.g. http://127.0.0.1:3100. */
  origin: string;
  /** The caller's token and what it grants; set for every method with auth "token" or "app_token". */
  grant: TokenGrant;
}

export interface WebApiMethod {
  auth: MethodAuth;
  /** Scopes of which every call needs one; handlers check argument-dependent scopes with requireScope. */
  scopes?: string[];
  /** Token kinds accepted (default bot and user). */
  tokenKinds?: TokenKind[];
  handler(ctx: MethodContext): Record<string, unknown>;
}

/**
 * `missing_scope` with `needed` and `provided`, as Slack words it:
 * {"error":"missing_scope","needed":"search:read","ok":false,"provided":"identify,bot:basic"} [REF search.all].
 */
export function requireScope(ctx: Pick<MethodContext, 'grant'>, ...anyOf: string[]): void {
  if (anyOf.some((s) => ctx.grant.scopes.has(s))) return;
  throw new SlackApiError('missing_scope', { needed: anyOf.join(','), provided: [...ctx.grant.scopes].join(',') });
}
