/**
 * The end of "Connect Slack": Slack sends the installer back with `code` and our `state` (or
 * `error=access_denied` on Cancel) [D-OAUTH]. The state is consumed first (single-use, whatever
 * happens next), then the code is exchanged with oauth.v2.access and the installation is stored,
 * tokens sealed, as the project's connection to that workspace (keyed by enterprise and team id).
 * When the `incoming-webhook` scope was granted, Slack's answer carries the webhook the installer
 * chose [D-WH]; it becomes a webhook destination subscribed to every event type ('*'), because the
 * installer picked that channel on Slack's own screen for this app's messages; an admin narrows it
 * like any destination.
 */
import type { Queryable } from '../db/database.ts';
import { resumeConnectionDestinations } from '../connections/connection-status.ts';
import { saveConnection, type Connection } from '../connections/connection-store.ts';
import { lockInstallation, shareTokensWithInstallation, tokenTimes, type InstallationKey } from '../connections/installation-tokens.ts';
import { checkWebhookUrl } from '../destinations/check-webhook-url.ts';
import { createDestination, updateDestination, type Destination } from '../destinations/destination-store.ts';
import { requireSlackApp, slackAppConfigured } from '../slack/slack-app.ts';
import { exchangeInstallCode, revokeSlackToken, SlackOAuthError, type OAuthAccess } from '../slack/slack-oauth-client.ts';
import { consumeInstallState } from './install-state.ts';
import type { OAuthDeps } from './oauth-deps.ts';
import { InstallError, InstallProblem } from './oauth-errors.ts';

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

export interface CompletedInstall {
  projectId: string;
  connection: Connection;
  /** The webhook destination made from the install's incoming webhook, if any. */
  webhookDestination?: Destination;
  /** Why the install's webhook could not become a destination, if it could not. */
  webhookProblem?: string;
}

function explainExchangeFailure(error: SlackOAuthError): InstallError {
  if (error.transient) return new InstallError(InstallProblem.slackUnreachable, { slack_error: error.slackError });
  // "invalid_code": unknown, used, or past its ten minutes [D-OAUTHM].
  if (error.slackError === 'invalid_code') return new InstallError(InstallProblem.codeRejected, { slack_error: error.slackError });
  return new InstallError(InstallProblem.slackRefused, { slack_error: error.slackError });
}

export async function completeInstall(deps: OAuthDeps, query: CallbackQuery): Promise<CompletedInstall> {
  if (!slackAppConfigured(deps.config)) throw new InstallError(InstallProblem.notConfigured);
  const app = requireSlackApp(deps.config);
  if (!query.state) throw new InstallError(query.error === 'access_denied' ? InstallProblem.cancelled : InstallProblem.stateMissing);
  const consumed = await consumeInstallState(deps.db, { clientSecret: app.clientSecret, nowMs: deps.clock.now(), state: query.state });
  if (query.error) {
    throw new InstallError(query.error === 'access_denied' ? InstallProblem.cancelled : InstallProblem.slackDenied, { slack_error: query.error.slice(0, 100) });
  }
  if (!query.code) throw new InstallError(InstallProblem.codeMissing);

  let access: OAuthAccess;
  try {
    access = await exchangeInstallCode(deps.config.slackApiUrl, app, query.code, consumed.redirectUri);
  } catch (error) {
    if (error instanceof SlackOAuthError) throw explainExchangeFailure(error);
    throw error;
  }
  if (access.isEnterpriseInstall || !access.teamId) {
    // Connections are per workspace; leave no working token behind for an install we cannot keep.
    await revokeSlackToken(deps.config.slackApiUrl, access.accessToken);
    throw new InstallError(InstallProblem.enterpriseInstall);
  }
  return storeInstall(deps, consumed.projectId, access);
}

async function storeInstall(deps: OAuthDeps, projectId: string, access: OAuthAccess): Promise<CompletedInstall> {
  const { keyring } = deps;
  const times = access.expiresInSeconds ? tokenTimes(deps.clock.now(), access.expiresInSeconds) : undefined;
  const tokens = { botToken: access.accessToken, refreshToken: access.refreshToken, expiresAt: times?.expiresAt, refreshDueAt: times?.refreshDueAt };
  const key: InstallationKey = { teamId: access.teamId!, enterpriseId: access.enterpriseId, appId: access.appId };

  let webhookUrl: string | undefined;
  let webhookProblem: string | undefined;
  if (access.incomingWebhook) {
    try {
      webhookUrl = checkWebhookUrl(access.incomingWebhook.url, deps.config.allowedWebhookOrigins);
    } catch (error) {
      webhookProblem = (error as Error).message;
    }
  }

  const result = await deps.db.transaction(async (tx) => {
    await lockInstallation(tx, key);
    const connection = await saveConnection(tx, keyring, projectId, {
      teamId: key.teamId,
      teamName: access.teamName,
      enterpriseId: key.enterpriseId,
      botUserId: access.botUserId,
      appId: access.appId,
      scopes: access.scopes,
    }, tokens);
    // Other projects connected to the same installation now hold tokens Slack may have rotated out.
    await shareTokensWithInstallation(tx, keyring, key, { ...tokens, scopes: access.scopes }, connection.id);
    await resumeConnectionDestinations(tx, connection.id);
    const webhookDestination = webhookUrl ? await saveInstallWebhook(tx, deps, projectId, connection, webhookUrl, access.incomingWebhook!.channel) : undefined;
    return { projectId, connection, webhookDestination };
  });
  deps.logger.info(
    { project_id: projectId, connection_id: result.connection.id, team_id: key.teamId, scopes: access.scopes, rotating: Boolean(access.refreshToken), webhook_destination_id: result.webhookDestination?.id },
    'slack installed through oauth',
  );
  if (webhookProblem) deps.logger.warn({ project_id: projectId, connection_id: result.connection.id, problem: webhookProblem }, 'the install returned a webhook that cannot be a destination');
  return { ...result, webhookProblem };
}

async function saveInstallWebhook(tx: Queryable, deps: OAuthDeps, projectId: string, connection: Connection, url: string, channel: string | null): Promise<Destination> {
  const rules = { keyring: deps.keyring, allowedWebhookOrigins: deps.config.allowedWebhookOrigins };
  const where = channel ? (channel.startsWith('#') ? channel : `#${channel}`) : 'the chosen channel';
  const name = `Slack webhook to ${where} (${connection.team_name ?? connection.team_id})`.slice(0, 200);
  // Reinstalling to the same channel gives a new URL: the destination keeps its history and settings.
  const { rows } = await tx.query<{ id: string }>(`SELECT id FROM destinations WHERE project_id = $1 AND kind = 'webhook' AND name = $2`, [projectId, name]);
  const destination = rows[0]
    ? await updateDestination(tx, projectId, rows[0].id, { webhook_url: url }, rules)
    : await createDestination(tx, projectId, { name, kind: 'webhook', webhook_url: url, subscriptions: ['*'] }, rules);
  await tx.query('INSERT INTO connection_webhooks (connection_id, destination_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [connection.id, destination.id]);
  return destination;
}
