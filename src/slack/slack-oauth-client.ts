/**
 * The three OAuth calls to Slack: exchanging an install's code, refreshing a rotating token, and
 * revoking a token. oauth.v2.access gets the client credentials by HTTP Basic auth, which Slack
 * "prefers" over form fields [D-OAUTHM]; its answer is checked field by field, so a surprise in it
 * is a clear error rather than an undefined token stored encrypted.
 */
import { z } from 'zod';
import { SwitchboardError } from '../errors.ts';
import { createWebClient } from './create-web-client.ts';
import { OAUTH_TIMEOUT_MS, type SlackAppCredentials } from './slack-app.ts';

/** Slack said no (`error` is Slack's code), or could not be asked (`transient`). */
export class SlackOAuthError extends SwitchboardError {
  constructor(
    readonly slackError: string,
    readonly transient: boolean,
    message: string,
  ) {
    super(transient ? 'slack_unreachable' : 'slack_oauth_refused', message, { slack_error: slackError });
  }
}

/**
 * Answers worth asking again (slack-platform.md §3.2: "likely due to a transient issue on our
 * end"); anything else is final for this code or refresh token.
 */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited', 'team_added_to_org', 'org_login_required']);

const AccessAnswer = z.object({
  ok: z.literal(true),
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  scope: z.string().default(''),
  bot_user_id: z.string().optional(),
  app_id: z.string().optional(),
  team: z.object({ id: z.string().min(1), name: z.string().optional() }).nullable().optional(),
  enterprise: z.object({ id: z.string().min(1), name: z.string().optional() }).nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  authed_user: z.object({ id: z.string().optional() }).partial().optional(),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive().optional(),
  incoming_webhook: z
    .object({ url: z.string().min(1), channel: z.string().optional(), channel_id: z.string().optional(), configuration_url: z.string().optional() })
    .optional(),
});

export interface OAuthAccess {
  accessToken: string;
  tokenType: string;
  scopes: string[];
  botUserId: string | null;
  appId: string | null;
  teamId: string | null;
  teamName: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  installerUserId: string | null;
  /** Present when the app rotates tokens [D-ROT]. */
  refreshToken?: string;
  expiresInSeconds?: number;
  incomingWebhook?: { url: string; channel: string | null; channelId: string | null };
}

async function oauthV2Access(slackApiUrl: string, app: SlackAppCredentials, form: Record<string, string>): Promise<OAuthAccess> {
  let res: Response;
  try {
    res = await fetch(`${slackApiUrl}oauth.v2.access`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(OAUTH_TIMEOUT_MS),
    });
  } catch (error) {
    throw new SlackOAuthError('request_failed', true, `Could not reach Slack's oauth.v2.access: ${(error as Error).message}`);
  }
  // Slack answers 200 even for errors, 429 for rate limits [NODE].
  if (res.status === 429) throw new SlackOAuthError('ratelimited', true, `Slack rate-limited oauth.v2.access (Retry-After ${res.headers.get('retry-after') ?? '?'} s)`);
  if (!res.ok) throw new SlackOAuthError(`http_${res.status}`, true, `Slack's oauth.v2.access answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new SlackOAuthError('invalid_response', true, "Slack's oauth.v2.access did not answer JSON");
  }
  const failed = body as { ok?: boolean; error?: string };
  if (failed?.ok === false) {
    const error = String(failed.error ?? 'unknown_error');
    throw new SlackOAuthError(error, TRANSIENT.has(error), `Slack refused oauth.v2.access: ${error}`);
  }
  const parsed = AccessAnswer.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(answer)').join(', ');
    throw new SlackOAuthError('invalid_response', false, `Slack's oauth.v2.access answer is missing or has unexpected fields: ${fields}`);
  }
  const a = parsed.data;
  return {
    accessToken: a.access_token,
    tokenType: a.token_type ?? 'bot',
    scopes: a.scope.split(',').map((s) => s.trim()).filter(Boolean),
    botUserId: a.bot_user_id ?? null,
    appId: a.app_id ?? null,
    teamId: a.team?.id ?? null,
    teamName: a.team?.name ?? null,
    enterpriseId: a.enterprise?.id ?? null,
    isEnterpriseInstall: a.is_enterprise_install ?? false,
    installerUserId: a.authed_user?.id ?? null,
    refreshToken: a.refresh_token,
    expiresInSeconds: a.expires_in,
    incomingWebhook: a.incoming_webhook
      ? { url: a.incoming_webhook.url, channel: a.incoming_webhook.channel ?? null, channelId: a.incoming_webhook.channel_id ?? null }
      : undefined,
  };
}

/** The install's code for tokens. redirect_uri must be the one sent to the authorize page [D-OAUTH]. */
export function exchangeInstallCode(slackApiUrl: string, app: SlackAppCredentials, code: string, redirectUri: string): Promise<OAuthAccess> {
  return oauthV2Access(slackApiUrl, app, { code, redirect_uri: redirectUri });
}

/** A refresh token for a new access token and a new refresh token [D-ROT]. */
export function refreshBotToken(slackApiUrl: string, app: SlackAppCredentials, refreshToken: string): Promise<OAuthAccess> {
  return oauthV2Access(slackApiUrl, app, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** Tokens Slack already considers dead: they cannot be used again, which is what revoking is for. */
const ALREADY_DEAD = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'token_expired', 'not_authed']);

export type RevokeResult = { revoked: true } | { revoked: false; reason: string };

/**
 * auth.revoke with the token itself. Never throws: disconnecting goes ahead whatever Slack says,
 * and the result tells the admin whether Slack confirmed it.
 */
export async function revokeSlackToken(slackApiUrl: string, token: string): Promise<RevokeResult> {
  try {
    // Slack answers {ok:true, revoked:true} [REF auth.revoke]; the SDK's type leaves `revoked` out.
    const res = (await createWebClient(token, { slackApiUrl, timeoutMs: OAUTH_TIMEOUT_MS }).auth.revoke()) as { revoked?: boolean };
    return res.revoked ? { revoked: true } : { revoked: false, reason: 'Slack did not confirm the revocation' };
  } catch (error) {
    const slackError = (error as { data?: { error?: string } }).data?.error;
    if (slackError && ALREADY_DEAD.has(slackError)) return { revoked: true };
    return { revoked: false, reason: slackError ? `Slack answered ${slackError}` : `Slack could not be reached: ${(error as Error).message}` };
  }
}
