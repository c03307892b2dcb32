/**
 * `switchboard emulator` as a process: it prints how to use it (base URL, bot token, webhook URL,
 * page, control API), answers on the printed URL with the printed token, and stops cleanly on
 * SIGTERM. (A spawned process because the process itself is the subject.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function start(args: string[]): Promise<{ output: () => string; exited: Promise<number | null> }> {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (chunk) => {
      out += chunk.toString();
      if (out.includes('Press Ctrl+C to stop.')) resolve({ output: () => out, exited });
    });
    child!.stderr!.on('data', (chunk) => {
      out += chunk.toString();
    });
    void exited.then(() => reject(new Error(`the emulator exited early:\n${out}`)));
  });
}

describe('switchboard emulator', () => {
  it('prints the base URL, bot token and webhook, serves them, and stops on SIGTERM', async () => {
    const run = await start([]);
    const text = run.output();
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1] as string;
    expect(url).toBeTruthy();
    expect(text).toContain(`${url}/api/`);
    expect(text).toContain(`${url}/_emulator/workspaces`);
    const token = /Bot token\s+(\S+)/.exec(text)?.[1] as string;
    const webhook = /Webhook \(#alerts\)\s+(\S+)/.exec(text)?.[1] as string;
    const auth = await fetch(`${url}/api/auth.test`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    expect(auth).toMatchObject({ ok: true, team_id: 'T0EMULATE' });
    const hook = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"from the CLI test"}' });
    expect(await hook.text()).toBe('ok');
    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('stopping the emulator');
  });

  it('starts empty with --empty and says how to create a workspace', async () => {
    const run = await start(['--empty']);
    expect(run.output()).toContain('Started empty');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1] as string;
    expect(await fetch(`${url}/_emulator/workspaces`).then((r) => r.json())).toEqual({ workspaces: [] });
    child!.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});
