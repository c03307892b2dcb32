/**
 * The Web API edge: `POST /api/<method>` (GET with query arguments works too), exactly where production
 * calls https://slack.com/api/<method>. One pipeline for every method: post due scheduled
 * messages, count the call, apply an injected fault, authenticate, check scopes, apply the
 * method's rate limit, run the handler, and answer as Slack does — HTTP 200 with `ok`, or 429 with
 * `Retry-After` and {"ok":false,"error":"ratelimited"} [D-RATE]; every token-bearing answer carries
 * `x-oauth-scopes` [D-OAUTH].
 */
import type { Context, Hono } from 'hono';
import { applyFault, type HangTimers } from '../faults/apply-fault.ts';
import type { FaultInjector } from '../faults/fault-injector.ts';
import type { CallCounters } from '../rate-limits/call-counters.ts';
import { postDueScheduledMessages } from '../state/scheduled-messages.ts';
import { checkToken } from '../state/tokens.ts';
import { WEB_API_METHODS } from './method-registry.ts';
import { readApiRequest, type ApiRequest } from './read-api-request.ts';
import { SlackApiError, SlackRateLimited } from './slack-api-error.ts';
import { MethodAuth, requireScope, type EmulatorServices, type MethodContext, type WebApiMethod } from './web-api-method.ts';

export interface WebApiDeps extends EmulatorServices {
  counters: CallCounters;
  faults: FaultInjector;
  hangs: HangTimers;
}

function json(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

export function originOf(c: Context): string {
  return new URL(c.req.url).origin;
}

function rateLimited(retryAfter: number): Response {
  return json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(retryAfter) });
}

async function handle(c: Context, deps: WebApiDeps, method: string): Promise<Response> {
  const { state, counters, faults, limits } = deps;
  postDueScheduledMessages(state);
  counters.call(method);

  let request: ApiRequest;
  try {
    request = await readApiRequest(c);
  } catch (e) {
    if (e instanceof SlackApiError) return json({ ok: false, error: e.error });
    throw e;
  }
  const tokenTeam = request.token ? state.tokens.get(request.token)?.teamId : undefined;
  const fault = faults.takeForMethod(method, tokenTeam);
  if (fault) {
    const outcome = await applyFault(c, fault, deps.hangs, (_c, f) => json({ ok: false, error: f.error as string }));
    if ('respond' in outcome) return outcome.respond;
    postDueScheduledMessages(state);
  }

  const spec: WebApiMethod | undefined = WEB_API_METHODS[method];
  if (!spec) return json({ ok: false, error: 'unknown_method' });

  const headers: Record<string, string> = {};
  let grant: MethodContext['grant'] | undefined;
  if (spec.auth !== MethodAuth.none) {
    const token = spec.auth === MethodAuth.appToken && request.tokenSource !== 'header' ? undefined : request.token;
    if (!token) return json({ ok: false, error: 'not_authed' });
    const checked = checkToken(state, token);
    if ('error' in checked) return json({ ok: false, error: checked.error });
    const kinds = spec.tokenKinds ?? ['bot', 'user'];
    if (!kinds.includes(checked.token.kind)) return json({ ok: false, error: 'not_allowed_token_type' });
    grant = checked;
    if (checked.workspace) counters.attributeCall(method, checked.workspace.id);
    headers['x-oauth-scopes'] = [...checked.scopes].join(',');
    if (spec.scopes?.length) headers['x-accepted-oauth-scopes'] = spec.scopes.join(',');
  }

  const owner = grant
    ? { teamId: grant.workspace?.id, appId: grant.app.id }
    : { appId: request.basicAuth?.user ?? request.args.string('client_id') ?? 'anonymous' };
  const decision = limits.takeMethodCall(owner, method);
  if (!decision.ok) {
    counters.limited(method, owner.teamId);
    return rateLimited(decision.retryAfter);
  }

  const ctx: MethodContext = {
    ...deps,
    method,
    args: request.args,
    request,
    origin: originOf(c),
    grant: grant as MethodContext['grant'],
  };
  try {
    if (spec.scopes?.length) requireScope(ctx, ...spec.scopes);
    const body = spec.handler(ctx);
    return json({ ok: true, ...body }, 200, headers);
  } catch (e) {
    if (e instanceof SlackRateLimited) {
      counters.limited(method, owner.teamId);
      return rateLimited(e.retryAfter);
    }
    if (e instanceof SlackApiError) return json({ ok: false, error: e.error, ...e.extra }, 200, headers);
    throw e;
  }
}

export function registerWebApi(app: Hono, deps: WebApiDeps): void {
  app.on(['GET', 'POST'], '/api/:method', (c) => handle(c, deps, c.req.param('method')));
}
