/**
 * OAuth v2's browser half: `GET /oauth/v2/authorize?client_id&scope&user_scope&redirect_uri&state&team`
 * shows the consent page; its form posts back here and we redirect to redirect_uri with `code` and
 * `state`, or `error=access_denied&state=…` on Cancel [D-OAUTH]. `team` pins the workspace. A
 * redirect_uri must match (or be under) one of the app's redirect URLs when it has any.
 */
import type { Context, Hono } from 'hono';
import type { EmulatorState } from '../state/emulator-state.ts';
import type { App } from '../state/model.ts';
import { consentPage, errorPage } from './consent-page.ts';
import { issueOAuthCode } from './exchange-oauth-code.ts';
import { parseScopes } from './scope-descriptions.ts';

interface AuthorizeParams {
  client_id?: string;
  scope?: string;
  user_scope?: string;
  redirect_uri?: string;
  state?: string;
  team?: string;
}

type Checked = { app: App; redirect: string; explicitRedirect?: string } | { error: string };

function check(state: EmulatorState, params: AuthorizeParams): Checked {
  const app = params.client_id ? state.appsByClientId.get(params.client_id) : undefined;
  if (!app) return { error: 'Invalid client_id parameter' };
  const explicit = params.redirect_uri || undefined;
  if (explicit) {
    if (explicit.includes('#')) return { error: 'redirect_uri must not contain a fragment (#)' };
    if (app.redirectUrls.length && !app.redirectUrls.some((allowed) => explicit === allowed || explicit.startsWith(allowed.endsWith('/') ? allowed : `${allowed}/`))) {
      return { error: 'redirect_uri did not match any configured URIs' };
    }
  }
  const redirect = explicit ?? app.redirectUrls[0];
  if (!redirect) return { error: 'No redirect_uri was given and the app has no redirect URL configured' };
  return { app, redirect, explicitRedirect: explicit };
}

function html(body: string, status = 200): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function redirectTo(target: string, params: Record<string, string | undefined>): Response {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return new Response(null, { status: 302, headers: { location: url.toString() } });
}

function showConsent(c: Context, state: EmulatorState): Response {
  const params = c.req.query() as AuthorizeParams;
  const checked = check(state, params);
  if ('error' in checked) return html(errorPage(checked.error), 400);
  const workspaces = [...state.workspaces.values()].filter((ws) => !ws.disabled && (!params.team || ws.id === params.team));
  if (workspaces.length === 0) return html(errorPage(params.team ? `Workspace ${params.team} does not exist` : 'There is no workspace to install to'), 400);
  const hidden: Record<string, string> = {};
  for (const key of ['client_id', 'scope', 'user_scope', 'redirect_uri', 'state', 'team'] as const) if (params[key]) hidden[key] = params[key] as string;
  return html(consentPage({ app: checked.app, workspaces, scopes: parseScopes(params.scope), userScopes: parseScopes(params.user_scope), hidden }));
}

async function decide(c: Context, state: EmulatorState): Promise<Response> {
  const form = Object.fromEntries(new URLSearchParams(await c.req.text())) as AuthorizeParams & { install_as?: string; webhook_channel?: string; decision?: string };
  const checked = check(state, form);
  if ('error' in checked) return html(errorPage(checked.error), 400);
  if (form.decision !== 'allow') return redirectTo(checked.redirect, { error: 'access_denied', state: form.state });
  const [teamId, userId] = (form.install_as ?? '').split(':');
  const ws = teamId ? state.workspace(teamId) : undefined;
  if (!ws || ws.disabled || !ws.users.get(userId) || (form.team && form.team !== ws.id)) return html(errorPage('Choose a workspace and an account to install with'), 400);
  const scopes = parseScopes(form.scope);
  let webhookChannelId: string | undefined;
  if (scopes.includes('incoming-webhook') && form.webhook_channel) {
    const [hookTeam, channelId] = form.webhook_channel.split(':');
    if (hookTeam !== ws.id || !ws.channels.get(channelId)) return html(errorPage('Choose a channel in the workspace you install to'), 400);
    webhookChannelId = channelId;
  }
  const code = issueOAuthCode(state, {
    appId: checked.app.id,
    teamId: ws.id,
    userId,
    scopes,
    userScopes: parseScopes(form.user_scope),
    redirectUri: checked.explicitRedirect,
    webhookChannelId,
  });
  return redirectTo(checked.redirect, { code: code.code, state: form.state });
}

export function registerOAuthPages(app: Hono, state: EmulatorState): void {
  app.get('/oauth/v2/authorize', (c) => showConsent(c, state));
  app.post('/oauth/v2/authorize', (c) => decide(c, state));
}
