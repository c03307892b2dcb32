/**
 * Tokens: issuing bot, user and rotating tokens, refreshing them, revoking them, and deciding what
 * Slack would answer to a call made with one. Token values carry an "emulator" marker so they can
 * never be mistaken for (or shaped like) real Slack tokens.
 */
import type { EmulatorState } from './emulator-state.ts';
import { randomAlphanumeric } from './id-source.ts';
import type { App, Installation, RefreshToken, Token, Workspace } from './model.ts';

/**
 * "The used refresh token is revoked after a short grace period" [D-ROT]. Slack does not publish
 * the period; ours is one minute, long enough for two processes refreshing at once to both succeed.
 */
export const REFRESH_GRACE_MS = 60_000;

/** "A maximum of 2 active tokens": refreshing more often revokes the oldest [D-ROT]. */
export const MAX_ACTIVE_ROTATING_TOKENS = 2;

export interface IssuedToken {
  token: Token;
  refreshToken?: RefreshToken;
}

function issueRefreshToken(state: EmulatorState, inst: Installation, kind: 'bot' | 'user', userId: string): RefreshToken {
  const rt: RefreshToken = {
    value: `xoxe-1-emulator-${randomAlphanumeric(40)}`,
    appId: inst.appId,
    teamId: inst.teamId,
    kind,
    userId,
    revoked: false,
  };
  state.refreshTokens.set(rt.value, rt);
  return rt;
}

/**
 * The bot token of an installation: long-lived `xoxb-` unless the app rotates tokens, in which case
 * an expiring `xoxe.xoxb-` access token and an `xoxe-1-` refresh token [D-ROT].
 */
export function issueBotToken(state: EmulatorState, app: App, inst: Installation, fixedValue?: string): IssuedToken {
  const current = inst.botToken ? state.tokens.get(inst.botToken) : undefined;
  if (!app.tokenRotation && !fixedValue && current && !current.revoked) return { token: current };
  const rotating = app.tokenRotation;
  const value = fixedValue ?? (rotating ? `xoxe.xoxb-emulator-${inst.teamId}-${randomAlphanumeric(32)}` : `xoxb-emulator-${inst.teamId}-${randomAlphanumeric(24)}`);
  const token: Token = {
    value,
    kind: 'bot',
    appId: app.id,
    teamId: inst.teamId,
    userId: inst.botUserId,
    scopes: inst.scopes,
    revoked: false,
    issuedAt: state.now(),
    expiresAt: rotating ? state.now() + app.tokenLifetimeSeconds * 1000 : undefined,
  };
  state.tokens.set(value, token);
  inst.botToken = value;
  if (!rotating) return { token };
  inst.rotatingTokens.push(value);
  while (inst.rotatingTokens.length > MAX_ACTIVE_ROTATING_TOKENS) {
    const oldest = state.tokens.get(inst.rotatingTokens.shift() as string);
    if (oldest) oldest.revoked = true;
  }
  const refreshToken = issueRefreshToken(state, inst, 'bot', inst.botUserId);
  inst.refreshToken = refreshToken.value;
  return { token, refreshToken };
}

/** A user token (`xoxp-`, or `xoxe.xoxp-` with rotation) for the person who approved the install. */
export function issueUserToken(state: EmulatorState, app: App, inst: Installation, userId: string, scopes: string[]): IssuedToken {
  const rotating = app.tokenRotation;
  const value = rotating ? `xoxe.xoxp-emulator-${inst.teamId}-${randomAlphanumeric(32)}` : `xoxp-emulator-${inst.teamId}-${randomAlphanumeric(24)}`;
  const token: Token = {
    value,
    kind: 'user',
    appId: app.id,
    teamId: inst.teamId,
    userId,
    scopes: new Set(scopes),
    revoked: false,
    issuedAt: state.now(),
    expiresAt: rotating ? state.now() + app.tokenLifetimeSeconds * 1000 : undefined,
  };
  state.tokens.set(value, token);
  return { token, refreshToken: rotating ? issueRefreshToken(state, inst, 'user', userId) : undefined };
}

export const RefreshProblem = { invalidRefreshToken: 'invalid_refresh_token' } as const;

/** Exchanges a refresh token for a new access token and a new refresh token [D-ROT]. */
export function refreshAccessToken(state: EmulatorState, app: App, refreshValue: string): IssuedToken | { error: 'invalid_refresh_token' } {
  const rt = state.refreshTokens.get(refreshValue);
  const now = state.now();
  if (!rt || rt.revoked || rt.appId !== app.id) return { error: RefreshProblem.invalidRefreshToken };
  if (rt.usedAt !== undefined && now - rt.usedAt > REFRESH_GRACE_MS) return { error: RefreshProblem.invalidRefreshToken };
  const inst = state.installation(rt.teamId, rt.appId);
  if (!inst || inst.uninstalled) return { error: RefreshProblem.invalidRefreshToken };
  rt.usedAt ??= now;
  if (rt.kind === 'bot') return issueBotToken(state, app, inst);
  const previous = [...state.tokens.values()].find((t) => t.kind === 'user' && t.teamId === rt.teamId && t.appId === rt.appId && t.userId === rt.userId);
  return issueUserToken(state, app, inst, rt.userId, previous ? [...previous.scopes] : []);
}

export const TokenProblem = {
  invalidAuth: 'invalid_auth',
  tokenRevoked: 'token_revoked',
  accountInactive: 'account_inactive',
  tokenExpired: 'token_expired',
} as const;
export type TokenProblem = (typeof TokenProblem)[keyof typeof TokenProblem];

export interface TokenGrant {
  token: Token;
  app: App;
  /** Absent for app-level tokens, which belong to an app, not a workspace. */
  workspace?: Workspace;
  installation?: Installation;
  scopes: Set<string>;
}

/**
 * What Slack would make of a call with this token. Uninstalled apps: bot tokens answer
 * account_inactive, user tokens token_revoked ("deleted user or workspace or the app has been
 * removed when using a user token") [D-POST]; rotating tokens past expires_in answer
 * token_expired [D-ROT]; a disabled (deleted) workspace answers account_inactive.
 */
export function checkToken(state: EmulatorState, value: string): TokenGrant | { error: TokenProblem } {
  const token = state.tokens.get(value);
  if (!token) return { error: TokenProblem.invalidAuth };
  const app = state.apps.get(token.appId);
  if (!app) return { error: TokenProblem.invalidAuth };
  if (token.kind === 'app') {
    return token.revoked ? { error: TokenProblem.tokenRevoked } : { token, app, scopes: token.scopes };
  }
  const workspace = state.workspaces.get(token.teamId as string);
  if (!workspace) return { error: TokenProblem.accountInactive };
  const installation = workspace.installations.get(token.appId);
  if (!installation) return { error: TokenProblem.invalidAuth };
  if (workspace.disabled) return { error: TokenProblem.accountInactive };
  if (installation.uninstalled) return { error: token.kind === 'bot' ? TokenProblem.accountInactive : TokenProblem.tokenRevoked };
  if (token.revoked) return { error: TokenProblem.tokenRevoked };
  if (token.expiresAt !== undefined && state.now() >= token.expiresAt) return { error: TokenProblem.tokenExpired };
  return { token, app, workspace, installation, scopes: token.kind === 'bot' ? installation.scopes : token.scopes };
}

/**
 * Revokes one token. A revoked long-lived bot token also takes the bot out of its channels
 * ("deactivates the bot user and removes its channel memberships but doesn't uninstall the app"
 * [api.slack.com/methods/auth.revoke]); with rotation only that token goes [D-ROT].
 */
export function revokeToken(state: EmulatorState, value: string): boolean {
  const token = state.tokens.get(value);
  if (!token || token.revoked) return false;
  token.revoked = true;
  if (token.kind === 'bot' && token.teamId) {
    const ws = state.workspaces.get(token.teamId);
    const app = state.apps.get(token.appId);
    const inst = ws?.installations.get(token.appId);
    if (ws && inst && app && !app.tokenRotation) {
      for (const ch of ws.channelOrder) ch.members.delete(inst.botUserId);
    }
  }
  state.changed();
  return true;
}
