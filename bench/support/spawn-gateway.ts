/** Starts bench/support/gateway-process.ts as a child process and waits for its ready line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SpawnedGateway {
  url: string;
  apiKey: string;
  projectId: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./gateway-process.ts', import.meta.url));

export async function spawnGateway(env: Record<string, string>): Promise<SpawnedGateway> {
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', SCRIPT], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; apiKey: string; projectId: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line);
        if (parsed.ready) resolve(parsed);
      } catch {
        /* other output */
      }
    });
  });
  return {
    ...ready,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
