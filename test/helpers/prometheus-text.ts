/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests of GET
 * /metrics: every line must be a comment, HELP, TYPE or a sample, or parsing fails. Samples keep
 * their labels, so tests look values up by name and exact labels instead of matching text.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Metric family name → counter, gauge, histogram, summary or untyped. */
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
  /** The value of the sample with exactly these labels (undefined when there is none). */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of this name whose labels include these. */
  all(name: string, labels?: Record<string, string>): Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string, line: string): number {
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a sample value: ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  return Number(text);
}

function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after '{'
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name || text[i + name.length] !== '=' || text[i + name.length + 1] !== '"') throw new Error(`bad label in ${JSON.stringify(line)}`);
    i += name.length + 2;
    let value = '';
    for (;;) {
      const ch = text[i];
      if (ch === undefined) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
      if (ch === '"') break;
      if (ch === '\\') {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else {
        value += ch;
        i++;
      }
    }
    if (name in labels) throw new Error(`label ${name} repeated in ${JSON.stringify(line)}`);
    labels[name] = value;
    i++; // closing quote
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`expected , or } in ${JSON.stringify(line)}`);
  }
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
      if (!meta) continue; // a plain comment
      if (meta[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3])) throw new Error(`unknown type in ${JSON.stringify(line)}`);
        types.set(meta[2], meta[3]);
      } else help.set(meta[2], meta[3]);
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const fields = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2) throw new Error(`bad sample line: ${JSON.stringify(line)}`);
    samples.push({ name, labels, value: parseValue(fields[0], line) });
  }
  return {
    types,
    help,
    samples,
    value(name, labels = {}) {
      return samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value;
    },
    all(name, labels = {}) {
      return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    },
  };
}
