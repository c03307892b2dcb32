/**
 * The Liquid engines behind templates: one escaping every `{{ }}` for mrkdwn, one for text Slack shows
 * literally. Each template string is parsed once and cached by its content, then rendered
 * synchronously, because ingest renders thousands of messages a second.
 * No file access: include/render/layout are removed, so a template cannot read the server's files.
 */
import { Liquid, type Template } from 'liquidjs';
import { mrkdwnOutputEscape } from './mrkdwn-escape.ts';
import { registerTemplateFilters, type LeafMode } from './template-filters.ts';

/** Longest template string accepted, in characters (a whole Block Kit message is far smaller). */
export const MAX_TEMPLATE_SOURCE_LENGTH = 50_000;
const MAX_CACHED_TEMPLATES = 10_000;
// Bounds on one leaf's rendering, so a loop over a huge range cannot stall ingest.
const RENDER_LIMITS = { templateLimit: 100_000, memoryLimit: 10_000_000 } as const;
const FILE_TAGS = ['include', 'render', 'layout', 'block'] as const;

function createEngine(mode: LeafMode): Liquid {
  const liquid = new Liquid({
    strictFilters: true, // an unknown filter is a template error, not silently skipped
    strictVariables: false, // missing data renders as empty, as Liquid users expect
    ownPropertyOnly: true, // never expose prototype members of event data
    timezoneOffset: 0, // the `date` filter prints UTC whatever the server's zone
    dateFormat: '%Y-%m-%d %H:%M UTC',
    outputEscape: mode === 'mrkdwn' ? mrkdwnOutputEscape : undefined,
    templates: {}, // partial lookups hit an empty in-memory map, never the file system
    parseLimit: MAX_TEMPLATE_SOURCE_LENGTH,
  });
  for (const tag of FILE_TAGS) delete liquid.tags[tag];
  registerTemplateFilters(liquid, mode);
  return liquid;
}

const engines: Record<LeafMode, Liquid> = { mrkdwn: createEngine('mrkdwn'), plain: createEngine('plain') };
const parsed: Record<LeafMode, Map<string, Template[]>> = { mrkdwn: new Map(), plain: new Map() };

/** True when the string contains Liquid markup; other strings are copied as they are. */
export function hasLiquid(source: string): boolean {
  return source.includes('{{') || source.includes('{%');
}

/** Parses (or fetches from the cache) one template string. Throws liquidjs errors on bad syntax. */
export function parseLeaf(source: string, mode: LeafMode): Template[] {
  const cache = parsed[mode];
  const hit = cache.get(source);
  if (hit) return hit;
  const template = engines[mode].parse(source);
  if (cache.size >= MAX_CACHED_TEMPLATES) cache.delete(cache.keys().next().value as string);
  cache.set(source, template);
  return template;
}

/** Renders a parsed template string against a scope. Throws liquidjs RenderError. */
export function renderLeaf(template: Template[], mode: LeafMode, scope: object): string {
  return engines[mode].renderSync(template, scope, RENDER_LIMITS) as string;
}
