/** What every benchmark report carries about its run: the commit measured and the machine's load. */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

/** The short commit, flagged when src/ or sql/ has uncommitted changes (the numbers are then not that commit's). */
export function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'sql'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (src or sql modified)` : head;
  } catch {
    return 'unknown';
  }
}

/** The 1, 5 and 15 minute load averages, rounded. */
export const load = () => loadavg().map((x) => +x.toFixed(2));
