import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config.ts';
import { assertDataFolderFree } from '../../db/data-folder-lock.ts';
import { emulatorSlackAppEnv } from '../../demo/emulator-slack-app.ts';
import { prepareDemoProject, type DemoProject, type EmulatorWorkspace } from '../../demo/prepare-demo-project.ts';
import { ConfigError } from '../../errors.ts';
import { describeListenFailure } from '../../listen-http.ts';
import { startGateway, type Gateway } from '../../main.ts';
import { keyringFromConfiguration } from '../../secrets/encryption-key-config.ts';
import { envWithListenFlags, HOST_OPTION, PORT_OPTION, type ListenFlags } from '../listen-flags.ts';
import { onShutdown } from '../shutdown.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Try Switchboard with no Slack account: the gateway on the embedded database plus the local Slack emulator (what `npm start` runs)')
    .option('--emulator-port <port>', 'port for the local Slack emulator', process.env.SWITCHBOARD_EMULATOR_PORT ?? '3100')
    .option(...PORT_OPTION)
    .option(...HOST_OPTION)
    .action(async (opts: { emulatorPort: string } & ListenFlags) => {
      const env = envWithListenFlags(process.env, opts);
      // Refuse before the emulator starts: a bad variable, or a server already on the data folder.
      const preliminary = loadConfig(env);
      keyringFromConfiguration({ configuredKey: preliminary.encryptionKey, embeddedDatabase: !preliminary.databaseUrl });
      const emulatorPort = Number(opts.emulatorPort);
      if (!/^\d{1,5}$/.test(opts.emulatorPort) || emulatorPort > 65535) throw new ConfigError('--emulator-port', 'an integer from 0 to 65535', opts.emulatorPort);
      if (!preliminary.databaseUrl) await assertDataFolderFree(preliminary.dataDir, { kind: 'server', url: preliminary.publicUrl });
      const { createEmulator } = await import('../../../emulator/server.ts');
      const emulator = await createEmulator({})
        .listen(emulatorPort, '127.0.0.1')
        .catch((error: unknown) => {
          throw describeListenFailure(error, { host: '127.0.0.1', port: emulatorPort }, EMULATOR_SETTINGS);
        });
      let gateway: Gateway;
      let config: Config;
      try {
        config = loadConfig({
          ...env,
          SWITCHBOARD_SLACK_API_URL: env.SWITCHBOARD_SLACK_API_URL || `${emulator.url}/api/`,
          SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS: [env.SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS, emulator.url].filter(Boolean).join(','),
          ...(await emulatorSlackAppEnv(emulator.url, env)),
        });
        gateway = await startGateway(config);
      } catch (error) {
        await emulator.close();
        throw error;
      }
      onShutdown(async () => {
        await gateway.close();
        await emulator.close();
      });

      const workspaces = (await (await fetch(`${emulator.url}/_emulator/workspaces`)).json()) as { workspaces?: EmulatorWorkspace[] } | EmulatorWorkspace[];
      const list = Array.isArray(workspaces) ? workspaces : workspaces.workspaces ?? [];
      const demo = await prepareDemoProject(gateway.ctx, list[0]);
      const connect = config.slackApp.clientId ? connectSlackHint(gateway.url, demo.apiKey) : '';
      process.stdout.write(banner(gateway.url, emulator.url, demo, gateway.generatedAdminKey, connect));
    });
}

/** What a port in use for the emulator tells the user to change. */
const EMULATOR_SETTINGS = { port: 'SWITCHBOARD_EMULATOR_PORT / --emulator-port', host: 'SWITCHBOARD_HOST / --host' };

function banner(api: string, emulator: string, demo: DemoProject, adminKey?: string, connectSlack = ''): string {
  const { apiKey, destinations } = demo;
  const curl = [
    `curl -s -X POST ${api}/v1/events \\`,
    `  -H 'Authorization: Bearer ${apiKey}' -H 'Content-Type: application/json' \\`,
    `  -d '{"type":"approval.created","subject":"approval:deploy-42","data":{"project":"My Project","key":"deploy-42","requester":"Alice","action":"Deploy api v1.4.2 to production","expiry":"in 30 minutes"}}'`,
  ].join('\n');
  return `
  ┌──────────────────────────────────────────────────────────────────────┐
  │  Switchboard demo: LOCAL EMULATOR, not Slack. Nothing leaves this    │
  │  machine; the data lives in ./data (embedded PostgreSQL).            │
  └──────────────────────────────────────────────────────────────────────┘

  API            ${api}/v1
  API reference  ${api}/docs
  Emulator page  ${emulator}/        (watch messages arrive here)
  Demo API key   ${apiKey}${demo.sameKey ? '   (the same as last time)' : ''}
${adminKey ? `  Admin key      ${adminKey}   (shown once: store it)\n` : ''}
  Destinations of the demo project (your changes to them are kept across restarts):
${destinations.length ? destinations.map((d) => `    • ${d.name}: ${d.where}`).join('\n') : '    (none left: create one with POST /v1/destinations)'}

  Send an event:

${curl}

${connectSlack}  Press Ctrl+C to stop.
`;
}

function connectSlackHint(api: string, apiKey: string): string {
  return `  Connect Slack (OAuth, through the emulator's consent page): ask for an install link and open its url

    curl -s -X POST ${api}/v1/connections/install -H 'Authorization: Bearer ${apiKey}'

`;
}
