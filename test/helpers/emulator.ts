/**
 * Test fixture: a local Slack emulator on a random port, with a typed control client and the
 * ready-made workspace's tokens, channels and webhook URL at hand. Fast to start (no I/O beyond the
 * socket), so suites can start one per test file or per test.
 *
 *   const slack = await startEmulator();
 *   const web = new WebClient(slack.defaultWorkspace.botToken, { slackApiUrl: slack.apiUrl });
 *   ...
 *   await slack.close();
 */
import { WebClient, type Logger, LogLevel, type WebAPIPlatformError, type WebClientOptions } from '@slack/web-api';
import type { Clock } from '../../src/clock.ts';
import { EmulatorControlClient } from '../../emulator/control/emulator-control-client.ts';
import type { RateLimitConfig } from '../../emulator/rate-limits/rate-limit-config.ts';
import { createEmulator, type Emulator } from '../../emulator/server.ts';
import type { EmulatorState } from '../../emulator/state/emulator-state.ts';
import { DEFAULT_WORKSPACE } from '../../emulator/state/seed.ts';
import { webhookPath } from '../../emulator/state/workspace-setup.ts';

export interface StartEmulatorOptions {
  /** Time source; pass a ManualClock to move time without sleeping. */
  clock?: Clock;
  /** Start with no workspace. */
  empty?: boolean;
  /** Starting rate limits for every workspace, e.g. { enabled: false } for a test that is not about them. */
  rateLimits?: Partial<RateLimitConfig>;
}

export interface DefaultWorkspaceInfo {
  teamId: string;
  botToken: string;
  botUserId: string;
  appId: string;
  appToken: string;
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** Channel ids by name: general, alerts, deployments, approvals, random, leadership. */
  channels: Record<string, string>;
  /** User ids by name: alice, bob, carol. */
  users: Record<string, string>;
  /** The incoming webhook posting to #alerts. */
  webhookUrl: string;
}

export interface StartedEmulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The Web API base URL, ending with /api/ (as https://slack.com/api/ does). */
  apiUrl: string;
  emulator: Emulator;
  state: EmulatorState;
  control: EmulatorControlClient;
  /** Present unless started empty. */
  defaultWorkspace: DefaultWorkspaceInfo;
  close(): Promise<void>;
}

function describeDefault(emulator: Emulator, url: string): DefaultWorkspaceInfo {
  const ws = emulator.state.workspace(DEFAULT_WORKSPACE.team_id);
  if (!ws) return undefined as unknown as DefaultWorkspaceInfo;
  const inst = emulator.state.primaryInstallation(ws);
  const hook = [...emulator.state.webhooks.values()].find((h) => h.teamId === ws.id);
  return {
    teamId: ws.id,
    botToken: inst?.botToken ?? '',
    botUserId: inst?.botUserId ?? '',
    appId: inst?.appId ?? '',
    appToken: DEFAULT_WORKSPACE.app_token,
    clientId: DEFAULT_WORKSPACE.client_id,
    clientSecret: DEFAULT_WORKSPACE.client_secret,
    signingSecret: DEFAULT_WORKSPACE.signing_secret,
    channels: Object.fromEntries(ws.channelOrder.map((c) => [c.name, c.id])),
    users: Object.fromEntries([...ws.users.values()].filter((u) => !u.isBot).map((u) => [u.name, u.id])),
    webhookUrl: hook ? `${url}${webhookPath(hook)}` : '',
  };
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<StartedEmulator> {
  const emulator = createEmulator(options);
  const running = await emulator.listen(0, '127.0.0.1');
  return {
    url: running.url,
    apiUrl: `${running.url}/api/`,
    emulator,
    state: emulator.state,
    control: new EmulatorControlClient(running.url),
    defaultWorkspace: describeDefault(emulator, running.url),
    close: () => running.close(),
  };
}

/** A logger that says nothing: the official clients log every Slack error, which clutters test output. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/**
 * The official WebClient pointed at an emulator, with retries off (so a test sees each answer) and
 * a silent logger. Pass options to change either.
 */
export function emulatorWebClient(apiUrl: string, token?: string, options: WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logger: silentLogger, ...options });
}

/**
 * Awaits a Web API call that must fail with Slack's `ok:false` answer and returns that answer
 * (`error`, `needed`, `provided`, `response_metadata`...). Any other outcome fails the test.
 */
export async function slackPlatformError(call: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  try {
    await call;
  } catch (e) {
    const err = e as WebAPIPlatformError;
    if (err.code !== 'slack_webapi_platform_error') throw new Error(`expected Slack's ok:false answer, got ${err.code}: ${err.message}`);
    return err.data;
  }
  throw new Error('expected the call to fail');
}
