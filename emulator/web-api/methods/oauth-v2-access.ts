/**
 * oauth.v2.access [D-OAUTHM][D-ROT]: exchanges an authorization code for tokens, or (grant_type
 * refresh_token) a refresh token for a new access token. Client credentials come by HTTP Basic
 * auth ("preferably") or as client_id / client_secret fields. The answer has Slack's full shape
 * (§6 of the platform sheet): access_token, token_type "bot", scope, bot_user_id, app_id, team,
 * enterprise, authed_user, is_enterprise_install, incoming_webhook when granted, and refresh_token
 * and expires_in for rotating apps.
 */
import { exchangeOAuthCode, type CompletedInstall } from '../../oauth/exchange-oauth-code.ts';
import { webhookPath } from '../../state/workspace-setup.ts';
import { refreshAccessToken, type IssuedToken } from '../../state/tokens.ts';
import type { App } from '../../state/model.ts';
import { SlackApiError } from '../slack-api-error.ts';
import { MethodAuth, type MethodContext, type WebApiMethod } from '../web-api-method.ts';

function clientApp(ctx: MethodContext): App {
  const id = ctx.request.basicAuth?.user ?? ctx.args.string('client_id');
  const secret = ctx.request.basicAuth?.password ?? ctx.args.string('client_secret');
  const app = id ? ctx.state.appsByClientId.get(id) : undefined;
  if (!app) throw new SlackApiError('invalid_client_id');
  if (secret !== app.clientSecret) throw new SlackApiError('bad_client_secret');
  return app;
}

function expiry(ctx: MethodContext, issued: IssuedToken): Record<string, unknown> {
  if (!issued.refreshToken || issued.token.expiresAt === undefined) return {};
  return { refresh_token: issued.refreshToken.value, expires_in: Math.floor((issued.token.expiresAt - ctx.state.now()) / 1000) };
}

function installResponse(ctx: MethodContext, done: CompletedInstall): Record<string, unknown> {
  const ws = ctx.state.workspace(done.installation.teamId);
  const authedUser: Record<string, unknown> = { id: done.userId };
  if (done.user) {
    Object.assign(authedUser, { scope: done.userScopes.join(','), access_token: done.user.token.value, token_type: 'user' }, expiry(ctx, done.user));
  }
  const out: Record<string, unknown> = {
    app_id: done.app.id,
    authed_user: authedUser,
    scope: [...done.installation.scopes].join(','),
    token_type: 'bot',
    access_token: done.bot.token.value,
    bot_user_id: done.installation.botUserId,
    team: { id: ws?.id, name: ws?.name },
    enterprise: null,
    is_enterprise_install: false,
    ...expiry(ctx, done.bot),
  };
  if (done.webhook) {
    const channel = ws?.channels.get(done.webhook.channelId);
    out.incoming_webhook = {
      channel: `#${channel?.name ?? ''}`,
      channel_id: done.webhook.channelId,
      configuration_url: `${ctx.origin}/_emulator/webhooks/${done.webhook.id}`,
      url: `${ctx.origin}${webhookPath(done.webhook)}`,
    };
  }
  return out;
}

function refreshResponse(ctx: MethodContext, app: App, issued: IssuedToken): Record<string, unknown> {
  const { token } = issued;
  const ws = ctx.state.workspace(token.teamId as string);
  const inst = ws?.installations.get(app.id);
  const isBot = token.kind === 'bot';
  return {
    app_id: app.id,
    authed_user: { id: isBot ? inst?.installedBy : token.userId },
    scope: [...(isBot ? (inst?.scopes ?? []) : token.scopes)].join(','),
    token_type: isBot ? 'bot' : 'user',
    access_token: token.value,
    ...(isBot ? { bot_user_id: inst?.botUserId } : {}),
    team: { id: ws?.id, name: ws?.name },
    enterprise: null,
    is_enterprise_install: false,
    ...expiry(ctx, issued),
  };
}

export const oauthV2Access: WebApiMethod = {
  auth: MethodAuth.none,
  handler(ctx) {
    const app = clientApp(ctx);
    const grantType = ctx.args.string('grant_type') ?? 'authorization_code';
    if (grantType === 'refresh_token') {
      const refreshToken = ctx.args.string('refresh_token');
      const issued = refreshToken ? refreshAccessToken(ctx.state, app, refreshToken) : { error: 'invalid_refresh_token' as const };
      if ('error' in issued) throw new SlackApiError(issued.error);
      return refreshResponse(ctx, app, issued);
    }
    if (grantType !== 'authorization_code') throw new SlackApiError('invalid_grant_type');
    const done = exchangeOAuthCode(ctx.state, app, ctx.args.string('code'), ctx.args.string('redirect_uri'));
    if ('error' in done) throw new SlackApiError(done.error);
    return installResponse(ctx, done);
  },
};
