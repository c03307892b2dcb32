import type { Command } from 'commander';
import { callApi, type ApiOptions } from '../api-client.ts';

function parseJson(value: string, flag: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    /* fall through */
  }
  throw new Error(`${flag} must be a JSON object, e.g. '{"key":"deploy-42"}'`);
}

export function registerSendCommands(program: Command): void {
  const withApi = (cmd: Command) =>
    cmd.option('--api-url <url>', 'Switchboard URL (or SWITCHBOARD_API_URL)').option('--api-key <key>', 'project API key (or SWITCHBOARD_API_KEY)');

  withApi(
    program
      .command('send')
      .description('Send one event through the API (POST /v1/events) and print the deliveries it planned')
      .requiredOption('--type <type>', 'event type, e.g. approval.created')
      .option('--data <json>', 'event data as a JSON object', '{}')
      .option('--subject <subject>', 'what the event is about, e.g. approval:deploy-42')
      .option('--severity <severity>', 'info, low, medium, high or critical')
      .option('--key <key>', 'idempotency key')
      .option('--json', 'print the whole JSON answer'),
  ).action(async (opts: ApiOptions & { type: string; data: string; subject?: string; severity?: string; key?: string; json?: boolean }) => {
    const body = { type: opts.type, data: parseJson(opts.data, '--data'), subject: opts.subject, severity: opts.severity, key: opts.key };
    const answer = (await callApi(opts, 'POST', '/v1/events', body)) as { replayed: boolean; event: { id: string; deliveries: { destination_name: string; status: string }[] } };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${answer.replayed ? 'Replayed' : 'Accepted'} ${answer.event.id}\n`);
    if (answer.event.deliveries.length === 0) process.stdout.write('  No destination subscribes to this event type.\n');
    for (const d of answer.event.deliveries) process.stdout.write(`  → ${d.destination_name}: ${d.status}\n`);
  });

  withApi(program.command('event').description('Show an event and its deliveries').argument('<event_id>')).action(
    async (id: string, opts: ApiOptions) => {
      process.stdout.write(`${JSON.stringify(await callApi(opts, 'GET', `/v1/events/${encodeURIComponent(id)}`), null, 2)}\n`);
    },
  );
}
