import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { assertDataFolderFree } from '../../db/data-folder-lock.ts';
import { emulatorSlackAppEnv } from '../../demo/emulator-slack-app.ts';
import { prepareDemoProject, type EmulatorWorkspace } from '../../demo/prepare-demo-project.ts';
import { startGateway } from '../../main.ts';
import { keyringFromConfiguration } from '../../secrets/encryption-key-config.ts';
import { onShutdown } from '../shutdown.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Try Switchboard with no Slack account: the gateway on the embedded database plus the local Slack emulator (what `npm start` runs)')
    .option('--emulator-port <port>', 'port for the local Slack emulator', process.env.SWITCHBOARD_EMULATOR_PORT ?? '3100')
    .action(async (opts: { emulatorPort: string }) => {
      // Refuse before the emulator starts: a bad variable, or a server already on the data folder.
      const preliminary = loadConfig();
      keyringFromConfiguration({ configuredKey: preliminary.encryptionKey, embeddedDatabase: !preliminary.databaseUrl });
      if (!preliminary.databaseUrl) await assertDataFolderFree(preliminary.dataDir, { kind: 'server', url: preliminary.publicUrl });
      const { createEmulator } = await import('../../../emulator/server.ts');
      const emulator = await createEmulator({}).listen(Number(opts.emulatorPort), '127.0.0.1');
      const config = loadConfig({
        ...process.env,
        SWITCHBOARD_SLACK_API_URL: process.env.SWITCHBOARD_SLACK_API_URL || `${emulator.url}/api/`,
        SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS: [process.env.SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS, emulator.url].filter(Boolean).join(','),
        ...(await emulatorSlackAppEnv(emulator.url, process.env)),
      });
      const gateway = await startGateway(config);
      onShutdown(async () => {
        await gateway.close();
        await emulator.close();
      });

      const workspaces = (await (await fetch(`${emulator.url}/_emulator/workspaces`)).json()) as { workspaces?: EmulatorWorkspace[] } | EmulatorWorkspace[];
      const list = Array.isArray(workspaces) ? workspaces : workspaces.workspaces ?? [];
      const demo = await prepareDemoProject(gateway.ctx, list[0]);
      const connect = config.slackApp.clientId ? connectSlackHint(gateway.url, demo.apiKey) : '';
      process.stdout.write(banner(gateway.url, emulator.url, demo.apiKey, demo.destinations, gateway.generatedAdminKey, connect));
    });
}

function banner(api: string, emulator: string, apiKey: string, destinations: { name: string; where: string }[], adminKey?: string, connectSlack = ''): string {
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
  Demo API key   ${apiKey}
${adminKey ? `  Admin key      ${adminKey}   (shown once: store it)\n` : ''}
  Destinations of the demo project:
${destinations.map((d) => `    • ${d.name}: ${d.where}`).join('\n')}

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
