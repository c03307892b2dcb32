/**
 * The Slack app behind "Connect Slack" and token renewal: its client credentials, read from the
 * configuration's `slackApp` slice. `requireSlackApp` is the one check that the app is configured.
 */
import { SwitchboardError } from '../errors.ts';

/** The part of the configuration's `slackApp` this needs (src/config.ts SlackAppConfig). */
export interface SlackAppSettings {
  clientId?: string;
  clientSecret?: string;
}

export interface SlackAppCredentials {
  clientId: string;
  clientSecret: string;
}

export function slackAppConfigured(config: { slackApp: SlackAppSettings }): boolean {
  return Boolean(config.slackApp.clientId && config.slackApp.clientSecret);
}

export function requireSlackApp(config: { slackApp: SlackAppSettings }): SlackAppCredentials {
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
