/**
 * CPU time used by processes, read from /proc (Linux): the gateway child's, and all PostgreSQL
 * server processes' together, so a benchmark can say where each request's CPU went. Elsewhere
 * (no /proc) every reading is null and the benchmark reports no CPU figures.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the benchmarks run on

/** Seconds of CPU (user + system) the process has used, or null if it cannot be read. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Seconds of CPU used by every process named postgres on this machine, or null without /proc. */
export function postgresCpuSeconds(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  let total = 0;
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      total += processCpuSeconds(Number(pid)) ?? 0;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}
