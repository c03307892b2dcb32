/**
 * The install half of OAuth v2: issuing authorization codes from the consent page and exchanging
 * them for tokens. Codes are single-use and "expire after ten minutes" [D-OAUTH]; a redirect_uri sent
 * at authorize must be sent identically to oauth.v2.access (bad_redirect_uri). Exchanging installs
 * (or re-installs, scopes being additive) the app, issues the bot token (rotating when the app has
 * token rotation), a user token when user scopes were asked for, and an incoming webhook when the
 * `incoming-webhook` scope was granted [D-WH].
 */
import type { EmulatorState } from '../state/emulator-state.ts';
import { randomAlphanumeric } from '../state/id-source.ts';
import type { App, Installation, OAuthCode, Token, Webhook } from '../state/model.ts';
import { issueBotToken, issueUserToken, type IssuedToken } from '../state/tokens.ts';
import { addWebhook, installApp } from '../state/workspace-setup.ts';

export const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** What the consent page asks a code for: everything a code holds but the code itself and its use. */
export type CodeRequest = Omit<OAuthCode, 'code' | 'issuedAt' | 'used'>;

export function issueOAuthCode(state: EmulatorState, request: CodeRequest): OAuthCode {
  const code: OAuthCode = {
    ...request,
    code: `${Math.floor(state.now() / 1000)}.emulator.${randomAlphanumeric(32)}`,
    issuedAt: state.now(),
    used: false,
  };
  state.oauthCodes.set(code.code, code);
  return code;
}

export interface CompletedInstall {
  app: App;
  installation: Installation;
  bot: IssuedToken;
  user?: IssuedToken;
  userId: string;
  userScopes: string[];
  webhook?: Webhook;
}

export type ExchangeProblem = 'invalid_code' | 'bad_redirect_uri';

export function exchangeOAuthCode(state: EmulatorState, app: App, codeValue: string | undefined, redirectUri: string | undefined): CompletedInstall | { error: ExchangeProblem } {
  const code = codeValue ? state.oauthCodes.get(codeValue) : undefined;
  if (!code || code.used || code.appId !== app.id || state.now() - code.issuedAt > CODE_LIFETIME_MS) return { error: 'invalid_code' };
  if (code.redirectUri !== undefined && redirectUri !== code.redirectUri) return { error: 'bad_redirect_uri' };
  const ws = state.workspace(code.teamId);
  if (!ws) return { error: 'invalid_code' };
  code.used = true;

  const before = ws.installations.get(app.id);
  const fresh = !before || before.uninstalled;
  // An OAuth install joins no channel (but the webhook's): the app posts with chat:write.public,
  // joins, or is invited.
  const installation = installApp(state, ws, { app_id: app.id, scopes: code.scopes }, code.userId);
  let bot: IssuedToken;
  if (fresh) {
    const token = state.tokens.get(installation.botToken) as Token;
    bot = { token, refreshToken: installation.refreshToken ? state.refreshTokens.get(installation.refreshToken) : undefined };
  } else {
    bot = issueBotToken(state, app, installation);
  }
  const user = code.userScopes.length ? issueUserToken(state, app, installation, code.userId, code.userScopes) : undefined;

  let webhook: Webhook | undefined;
  if (code.scopes.includes('incoming-webhook')) {
    const channelId = code.webhookChannelId ?? ws.channelOrder.find((c) => c.isGeneral)?.id;
    if (channelId) {
      webhook = addWebhook(state, ws, { channel: channelId, app: app.id });
      ws.channels.get(channelId)?.members.add(installation.botUserId);
    }
  }
  state.changed();
  return { app, installation, bot, user, userId: code.userId, userScopes: code.userScopes, webhook };
}
