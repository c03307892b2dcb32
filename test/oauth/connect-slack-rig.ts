/**
 * Test rig for "Connect Slack": a test gateway (in-process, no port) configured with an OAuth app
 * in a local Slack emulator that shares the gateway's ManualClock, and helpers that walk the
 * install the way a browser would: ask for the link, press Allow or Cancel on the consent page,
 * follow Slack's redirect to our callback.
 */
import type { DatabaseKind } from '../../src/db/database.ts';
import type { SlackFeature } from '../../src/slack/slack-features.ts';
import { FEATURE_NAMES } from '../../src/slack/slack-features.ts';
import type { ControlApp } from '../../emulator/control/emulator-control-client.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

/** Where the gateway says it lives; callbacks are replayed through app.request, so nothing listens here. */
export const PUBLIC_URL = 'https://switchboard.test';
export const CALLBACK_URL = `${PUBLIC_URL}/oauth/callback`;

export interface InstallRig {
  gw: TestGateway;
  slack: StartedEmulator;
  app: ControlApp;
  team: string;
  close(): Promise<void>;
}

export interface RigOptions {
  features?: SlackFeature[];
  /** The app rotates tokens with this lifetime. */
  tokenLifetimeSeconds?: number;
  rateLimits?: boolean;
  /** Run the gateway's delivery worker too. */
  delivery?: boolean;
}

export async function createInstallRig(kind: DatabaseKind, options: RigOptions = {}): Promise<InstallRig> {
  // The emulator reads the gateway's clock, so one advance moves both (codes, states, tokens).
  let gw: TestGateway | undefined;
  const slack = await startEmulator({ clock: { now: () => gw?.clock.now() ?? Date.now() }, rateLimits: options.rateLimits === false ? { enabled: false } : undefined });
  const app = await slack.control.createApp({
    name: 'Switchboard Test',
    redirect_urls: [CALLBACK_URL],
    ...(options.tokenLifetimeSeconds ? { token_rotation: true, token_lifetime_seconds: options.tokenLifetimeSeconds } : {}),
  });
  gw = await createTestGateway(kind, {
    publicUrl: PUBLIC_URL,
    slackApiUrl: slack.apiUrl,
    allowedWebhookOrigins: [slack.url],
    slackApp: {
      clientId: app.client_id,
      clientSecret: app.client_secret,
      signingSecret: app.signing_secret,
      authorizeUrl: `${slack.url}/oauth/v2/authorize`,
      features: options.features ?? [...FEATURE_NAMES],
    },
  }, options.delivery ? { delivery: {} } : {});
  return {
    gw,
    slack,
    app,
    team: slack.defaultWorkspace.teamId,
    async close() {
      await gw?.close();
      await slack.close();
    },
  };
}

export async function installLink(rig: InstallRig, projectKey: string, body?: unknown): Promise<string> {
  const res = await rig.gw.call('POST', '/v1/connections/install', { key: projectKey, body });
  if (res.status !== 201) throw new Error(`install link: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.url;
}

/**
 * Presses Allow or Cancel on the emulator's consent page for this install link, as alice; answers
 * the path and query Slack redirects the browser to (our callback).
 */
export async function consent(rig: InstallRig, link: string, options: { decision?: 'allow' | 'deny'; webhookChannel?: string; team?: string } = {}): Promise<string> {
  const team = options.team ?? rig.team;
  const users = (await rig.slack.control.workspace(team)).users;
  const alice = users.find((u) => u.name === 'alice') ?? users.find((u) => !u.is_bot)!;
  const form = new URLSearchParams(new URL(link).searchParams);
  form.set('install_as', `${team}:${alice.id}`);
  form.set('decision', options.decision ?? 'allow');
  if (options.webhookChannel) form.set('webhook_channel', `${team}:${options.webhookChannel}`);
  const res = await fetch(`${rig.slack.url}/oauth/v2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent page answered ${res.status}: ${await res.text()}`);
  const location = new URL(res.headers.get('location')!);
  if (location.origin !== PUBLIC_URL) throw new Error(`Slack redirected to ${location.origin}, not the gateway`);
  return location.pathname + location.search;
}

export interface CallbackPage {
  status: number;
  html: string;
  contentType: string;
  headers: Headers;
}

/** The browser arriving at our callback (no API key: the state is the proof). */
export async function followCallback(rig: InstallRig, pathAndQuery: string): Promise<CallbackPage> {
  const res = await rig.gw.app.request(pathAndQuery);
  return { status: res.status, html: await res.text(), contentType: res.headers.get('content-type') ?? '', headers: res.headers };
}

/** The whole install for a project; answers the connection the API then shows. */
export async function installSlack(rig: InstallRig, projectKey: string, options: { webhookChannel?: string } = {}): Promise<any> {
  const page = await followCallback(rig, await consent(rig, await installLink(rig, projectKey), options));
  if (page.status !== 200) throw new Error(`install failed: ${page.status} ${page.html}`);
  const id = /Connection <code>(con_[a-z0-9]+)<\/code>/.exec(page.html)?.[1];
  const res = await rig.gw.call('GET', `/v1/connections/${id}`, { key: projectKey });
  return res.body;
}

/** The install of our app in the emulator's workspace, with its current tokens. */
export async function emulatorInstallation(rig: InstallRig, team = rig.team) {
  const ws = await rig.slack.control.workspace(team);
  const inst = ws.apps.find((a) => a.app_id === rig.app.app_id);
  if (!inst) throw new Error('the app is not installed in the emulator');
  return inst;
}

/** Every row of every table as text, to search for secrets stored in plaintext. */
export async function databaseText(rig: InstallRig): Promise<string> {
  const { rows: tables } = await rig.gw.ctx.db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await rig.gw.ctx.db.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}
