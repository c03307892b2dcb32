/**
 * What the OAuth code (install, disconnect) needs from the running gateway; AppContext has all of
 * it. Whether "Connect Slack" is configured: src/slack/slack-app.ts.
 */
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
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
