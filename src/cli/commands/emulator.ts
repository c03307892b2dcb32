import type { Command } from 'commander';

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('Run the local Slack emulator (Web API, incoming webhooks, OAuth, a page to watch messages)')
    .option('--port <port>', 'port to listen on', '3100')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--empty', 'start with no workspace instead of the ready-made demo workspace')
    .action(async (opts: { port: string; host: string; empty?: boolean }) => {
      const { runEmulatorCli } = await import('../../../emulator/cli.ts');
      await runEmulatorCli({ port: Number(opts.port), host: opts.host, empty: Boolean(opts.empty) });
    });
}
