/**
 * Starts a benchmark child process (a gateway, or a plain load loop) and waits for the JSON line it
 * prints when ready. spawnGateway() is the ingest benchmark's gateway (gateway-process.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SpawnedProcess<Ready> {
  ready: Ready;
  child: ChildProcess;
  /** JSON lines the process printed after its ready line, in order. */
  lines: unknown[];
  /** Resolves with the next JSON line that has `key` set (already printed ones count). */
  waitFor<T = Record<string, unknown>>(key: string): Promise<T>;
  /** SIGTERM, then wait for the process to exit. */
  stop(): Promise<void>;
}

export interface SpawnedGateway {
  url: string;
  apiKey: string;
  projectId: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const GATEWAY_SCRIPT = fileURLToPath(new URL('./gateway-process.ts', import.meta.url));

/** Runs `script` with tsx in a child process; resolves once it prints a JSON line with `"ready": true`. */
export async function spawnReadyProcess<Ready extends Record<string, unknown>>(script: string, env: Record<string, string>): Promise<SpawnedProcess<Ready>> {
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { key: string; resolve(value: unknown): void; reject(error: Error): void }[] = [];
  let exited = false;
  let outputClosed = false;
  const input = createInterface({ input: child.stdout! });
  child.once('exit', () => {
    exited = true;
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    // Output closes after its last line was read (unlike 'exit', which may come before it).
    input.once('close', () => {
      outputClosed = true;
      const error = new Error(`${script} ended (exit ${child.exitCode ?? child.signalCode ?? 'unknown'})`);
      reject(error);
      for (const w of waiters.splice(0)) w.reject(error);
    });
    input.on('line', (line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line);
      } catch {
        return; // other output
      }
      if (parsed.ready) return resolve(parsed as Ready);
      lines.push(parsed);
      for (const w of [...waiters]) {
        if (parsed[w.key] === undefined) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
    });
  });
  return {
    ready,
    child,
    lines,
    waitFor<T>(key: string) {
      const seen = lines.find((l) => l[key] !== undefined);
      if (seen) return Promise.resolve(seen as T);
      if (outputClosed) return Promise.reject(new Error(`${script} ended before printing ${key}`));
      return new Promise<T>((resolve, reject) => waiters.push({ key, resolve: resolve as (v: unknown) => void, reject }));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function spawnGateway(env: Record<string, string>): Promise<SpawnedGateway> {
  const p = await spawnReadyProcess<{ url: string; apiKey: string; projectId: string }>(GATEWAY_SCRIPT, env);
  return { url: p.ready.url, apiKey: p.ready.apiKey, projectId: p.ready.projectId, child: p.child, stop: p.stop };
}
