/**
 * The import graph of src/ runs one way: a module imports only from its own folder or from a layer
 * below it (docs/architecture.md, "Layers"). Nothing below imports http/ or cli/; domain folders
 * never import the operations that routes call; Slack's side, secrets, logging and the database
 * import no domain folder. Folders in one layer are peers and import each other in neither
 * direction. A new folder or top-level file has to be given a layer here before it can be imported.
 *
 * Upward imports that are known and not yet mended are listed in KNOWN_UPWARD with the reason, so
 * the test still catches every new one; an entry that no longer occurs must be deleted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Top to bottom. A folder of src/ (with everything under it) or a file at the top of src/. */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['main.ts'],
  ['demo', 'http', 'listen-http.ts'],
  // What the routes call: admin operations on the queue, a subject's history, installing Slack.
  ['deliveries', 'subjects', 'oauth'],
  ['app-context.ts'],
  // The tenant's destinations and accepting events.
  ['destinations', 'ingest'],
  // The queue.
  ['delivery'],
  // A connection's token lifecycle, its Slack calls and its destinations' health.
  ['connections'],
  ['routing'],
  ['event-types'],
  ['templates'],
  ['events', 'projects'],
  ['metrics', 'config.ts'],
  // Slack's side: transports, classification of answers, OAuth calls, the app's scopes.
  ['slack'],
  ['logging'],
  ['secrets'],
  ['db'],
  ['errors.ts', 'ids.ts', 'clock.ts', 'did-you-mean.ts'],
];

/** Imports that run upward today, each with why; `from` and `to` are paths under src/. */
const KNOWN_UPWARD: readonly { from: string; to: string; why: string }[] = [
  // Severity lives with the event type catalogue but everyone reads it; it belongs in events/.
  { from: 'templates/render-message.ts', to: 'event-types/severity.ts', why: 'severity has no home of its own' },
  { from: 'templates/template-filters.ts', to: 'event-types/severity.ts', why: 'severity has no home of its own' },
  // Metrics observe the queue; these two names belong below it.
  { from: 'metrics/gateway-metrics.ts', to: 'delivery/record-outcome.ts', why: 'the Settled outcome type lives with the queue' },
  { from: 'metrics/queue-snapshot.ts', to: 'deliveries/delivery-statuses.ts', why: 'the shown-status SQL lives with the admin operations' },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The unit a layer names: the first folder under src/, or the file itself at the top. */
const unitOf = (srcPath: string): string => srcPath.split('/')[0];
const underSrc = (absolute: string): string => relative(SRC, absolute).split(sep).join('/');

interface Edge {
  from: string;
  to: string;
}

function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map((f) => f.fileName).filter((name) => name.startsWith('.'));
}

function edges(): { inside: Edge[]; outside: Edge[] } {
  const inside: Edge[] = [];
  const outside: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const specifier of importsOf(file)) {
      const target = resolve(dirname(file), specifier);
      const edge = { from: underSrc(file), to: underSrc(target) };
      (target.startsWith(SRC + sep) ? inside : outside).push(edge);
    }
  }
  return { inside, outside };
}

const layerOf = new Map(LAYERS.flatMap((units, index) => units.map((unit) => [unit, index] as const)));

/** Edges from a unit to one in a layer above it or to a peer in its own layer, as "from -> to". */
function upwardImports(list: readonly Edge[]): string[] {
  return list
    .filter(({ from, to }) => {
      const [a, b] = [unitOf(from), unitOf(to)];
      if (a === b || !layerOf.has(a) || !layerOf.has(b)) return false;
      return layerOf.get(b)! <= layerOf.get(a)!;
    })
    .map(({ from, to }) => `${from} -> ${to}`);
}

describe('the import graph of src/', () => {
  const { inside, outside } = edges();

  it('gives every folder and top-level file of src/ a layer', () => {
    const units = new Set(sourceFiles(SRC).map((file) => unitOf(underSrc(file))));
    const unplaced = [...units].filter((unit) => !layerOf.has(unit)).sort();
    expect(unplaced, 'place these in LAYERS (test/architecture/import-graph.test.ts) and docs/architecture.md').toEqual([]);
  });

  it('has no import that runs up a layer or across to a peer, beyond the known ones', () => {
    const known = new Set(KNOWN_UPWARD.map((k) => `${k.from} -> ${k.to}`));
    const upward = upwardImports(inside);
    expect(upward.filter((e) => !known.has(e)).sort(), 'imports from a layer above (or a peer): turn them around, or move the name down').toEqual([]);
    expect([...known].filter((e) => !upward.includes(e)).sort(), 'these known upward imports are gone: delete them from KNOWN_UPWARD').toEqual([]);
  });

  it('imports nothing outside src/ but packages; only the CLI starts the emulator', () => {
    const stray = outside.filter(({ from, to }) => !(unitOf(from) === 'cli' && to.startsWith('../emulator/'))).map(({ from, to }) => `${from} -> ${to}`);
    expect(stray).toEqual([]);
  });

  it('flags an import up a layer or across to a peer, and nothing else', () => {
    const flagged = [
      { from: 'connections/get-fresh-bot-token.ts', to: 'oauth/oauth-deps.ts' },
      { from: 'db/migrate.ts', to: 'http/router.ts' },
      { from: 'destinations/destination-store.ts', to: 'ingest/accept-events.ts' },
    ];
    const allowed = [
      { from: 'oauth/complete-install.ts', to: 'connections/installation-tokens.ts' },
      { from: 'connections/connection-store.ts', to: 'connections/installation-tokens.ts' },
      { from: 'http/routes/event-routes.ts', to: 'http/router.ts' },
    ];
    expect(upwardImports([...flagged, ...allowed])).toEqual(flagged.map(({ from, to }) => `${from} -> ${to}`));
    expect(inside.length).toBeGreaterThan(100); // the graph was read
  });
});
