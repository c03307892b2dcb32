/**
 * What the OAuth code needs from the running gateway. AppContext has all of it; the delivery engine
 * can pass its own pieces. `requireSlackApp` is the one check that "Connect Slack" is configured.
 */
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { SwitchboardError } from '../errors.ts';
import type { Logger } from '../logging/create-logger.ts';
import type { Keyring } from '../secrets/keyring.ts';

export interface OAuthDeps {
  db: Database;
  keyring: Keyring;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'slackApiUrl' | 'slackApp' | 'publicUrl' | 'allowedWebhookOrigins'>;
}

/** Where Slack sends the installer back; the manifest lists it as the app's redirect URL. */
export const OAUTH_CALLBACK_PATH = '/oauth/callback';

export function redirectUrlFor(publicUrl: string): string {
  return `${publicUrl.replace(/\/$/, '')}${OAUTH_CALLBACK_PATH}`;
}

export interface SlackAppCredentials {
  clientId: string;
  clientSecret: string;
}

export function slackAppConfigured(config: Pick<Config, 'slackApp'>): boolean {
  return Boolean(config.slackApp.clientId && config.slackApp.clientSecret);
}

export function requireSlackApp(config: Pick<Config, 'slackApp'>): SlackAppCredentials {
  const { clientId, clientSecret } = config.slackApp;
  if (!clientId || !clientSecret) {
    throw new SwitchboardError(
      'oauth_not_configured',
      'Connect Slack is not set up on this server: set SWITCHBOARD_SLACK_CLIENT_ID and SWITCHBOARD_SLACK_CLIENT_SECRET from the Slack app (create it with `switchboard manifest`), or paste a bot token with POST /v1/connections',
    );
  }
  return { clientId, clientSecret };
}

/** Time allowed for one OAuth call to Slack. */
export const OAUTH_TIMEOUT_MS = 10_000;
