/**
 * `switchboard emulator`: starts the local Slack emulator on a port and prints how to use it —
 * the Web API base URL, the bot token, the webhook URL, the page and the control API — then runs
 * until SIGINT / SIGTERM and stops cleanly.
 */
import { createEmulator, type RunningEmulator } from './server.ts';
import { DEFAULT_WORKSPACE } from './state/seed.ts';
import { webhookPath } from './state/workspace-setup.ts';

export interface EmulatorCliOptions {
  port: number;
  host: string;
  empty: boolean;
}

export function describeRunningEmulator(url: string, emulator: ReturnType<typeof createEmulator>): string {
  const lines = [
    `Slack emulator listening on ${url}`,
    '',
    `  Web API base URL   ${url}/api/   (use instead of https://slack.com/api/)`,
    `  Page               ${url}/`,
    `  Control API        ${url}/_emulator/workspaces`,
    `  OAuth authorize    ${url}/oauth/v2/authorize`,
  ];
  const ws = emulator.state.workspace(DEFAULT_WORKSPACE.team_id);
  if (ws) {
    const hook = [...emulator.state.webhooks.values()].find((h) => h.teamId === ws.id && !h.removed);
    const app = emulator.state.primaryInstallation(ws);
    lines.push(
      '',
      `  Workspace          ${ws.name} (${ws.id})`,
      `  Bot token          ${app?.botToken ?? '(none)'}`,
      `  App-level token    ${DEFAULT_WORKSPACE.app_token}`,
      `  Client id/secret   ${DEFAULT_WORKSPACE.client_id} / ${DEFAULT_WORKSPACE.client_secret}`,
      `  Signing secret     ${DEFAULT_WORKSPACE.signing_secret}`,
    );
    if (hook) lines.push(`  Webhook (#${ws.channels.get(hook.channelId)?.name})   ${url}${webhookPath(hook)}`);
  } else {
    lines.push('', '  Started empty: create a workspace with POST /_emulator/workspaces (see docs/emulator.md).');
  }
  lines.push('', 'Press Ctrl+C to stop.');
  return lines.join('\n');
}

export async function runEmulatorCli(options: EmulatorCliOptions): Promise<void> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`--port must be a port number (0-65535), got ${options.port}`);
  }
  const emulator = createEmulator({ empty: options.empty });
  const running: RunningEmulator = await emulator.listen(options.port, options.host);
  process.stdout.write(`${describeRunningEmulator(running.url, emulator)}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stdout.write(`\nReceived ${signal}, stopping the emulator.\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
