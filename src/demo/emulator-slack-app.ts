/**
 * Demo mode's Slack app: "Connect Slack" in `npm start` installs the emulator's ready-made app
 * through the emulator's consent page. Its client id, secret and signing secret come from the
 * emulator's control API and stand in for SWITCHBOARD_SLACK_* when those are not set; every
 * feature is on, so the install asks for every scope the gateway can use.
 */
import { FEATURE_NAMES } from '../slack/slack-features.ts';

interface EmulatorApp {
  name: string;
  client_id: string;
  client_secret: string;
  signing_secret: string;
}

export async function emulatorSlackAppEnv(emulatorUrl: string, env: Record<string, string | undefined>): Promise<Record<string, string>> {
  if (env.SWITCHBOARD_SLACK_CLIENT_ID || env.SWITCHBOARD_SLACK_CLIENT_SECRET) return {};
  const res = await fetch(`${emulatorUrl}/_emulator/apps`);
  if (!res.ok) throw new Error(`the emulator's control API answered ${res.status} for /_emulator/apps`);
  const { apps } = (await res.json()) as { apps: EmulatorApp[] };
  const app = apps.find((a) => a.name === 'Switchboard') ?? apps[0];
  if (!app) return {};
  return {
    SWITCHBOARD_SLACK_CLIENT_ID: app.client_id,
    SWITCHBOARD_SLACK_CLIENT_SECRET: app.client_secret,
    SWITCHBOARD_SLACK_SIGNING_SECRET: env.SWITCHBOARD_SLACK_SIGNING_SECRET || app.signing_secret,
    SWITCHBOARD_SLACK_AUTHORIZE_URL: env.SWITCHBOARD_SLACK_AUTHORIZE_URL || `${emulatorUrl}/oauth/v2/authorize`,
    SWITCHBOARD_FEATURES: env.SWITCHBOARD_FEATURES || FEATURE_NAMES.join(','),
  };
}
