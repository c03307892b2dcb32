/**
 * The Liquid engines behind templates: one escaping every `{{ }}` for mrkdwn, one for text Slack shows
 * literally. Each template string is parsed once and cached by its content, then rendered
 * synchronously, because ingest renders thousands of messages a second: through fast-liquid's
 * compiled closure when the string allows it, through liquidjs otherwise.
 * No file access: include/render/layout are removed, so a template cannot read the server's files.
 */
import { Context, Liquid, type Template } from 'liquidjs';
import { compileFast, type FastTemplate } from './fast-liquid.ts';
import { mrkdwnOutputEscape } from './mrkdwn-escape.ts';
import { RenderBudget } from './render-budget.ts';
import { registerTemplateFilters, type LeafMode } from './template-filters.ts';

/** Longest template string accepted, in characters (a whole Block Kit message is far smaller). */
export const MAX_TEMPLATE_SOURCE_LENGTH = 50_000;
const MAX_CACHED_TEMPLATES = 10_000;
const FILE_TAGS = ['include', 'render', 'layout', 'block'] as const;
// Filters that evaluate a Liquid expression per item: nested, they multiply (an expression over a
// list inside one over the same list is quadratic) without liquidjs counting a step or charging
// memory, so the render budget could not stop them. `where`, `map`, `sort`… do the common jobs.
const EXPRESSION_FILTERS = ['where_exp', 'reject_exp', 'group_by_exp', 'find_exp', 'find_index_exp', 'has_exp', 'search_exp'] as const;

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
  for (const filter of EXPRESSION_FILTERS) delete (liquid.filters as Record<string, unknown>)[filter];
  registerTemplateFilters(liquid, mode);
  return liquid;
}

const engines: Record<LeafMode, Liquid> = { mrkdwn: createEngine('mrkdwn'), plain: createEngine('plain') };

/** A parsed template string: liquidjs's templates, plus the compiled fast renderer when there is one. */
export interface ParsedLeaf {
  templates: Template[];
  fast: FastTemplate | null;
}

const parsed: Record<LeafMode, Map<string, ParsedLeaf>> = { mrkdwn: new Map(), plain: new Map() };

/** True when the string contains Liquid markup; other strings are copied as they are. */
export function hasLiquid(source: string): boolean {
  return source.includes('{{') || source.includes('{%');
}

/** Parses (or fetches from the cache) one template string. Throws liquidjs errors on bad syntax. */
export function parseLeaf(source: string, mode: LeafMode): ParsedLeaf {
  const cache = parsed[mode];
  const hit = cache.get(source);
  if (hit) return hit;
  const templates = engines[mode].parse(source);
  const leaf: ParsedLeaf = { templates, fast: compileFast(templates) };
  if (cache.size >= MAX_CACHED_TEMPLATES) cache.delete(cache.keys().next().value as string);
  cache.set(source, leaf);
  return leaf;
}

/**
 * The variables one part of a message renders with (the event, or an `$each` item on top of it),
 * the message's render budget (shared by every string and every `$each` item of the message), and
 * the liquidjs Context the fast renderer reads them through: created once, shared by every string.
 * Both engines have the same options but the escape, so one Context serves both.
 */
export class LeafScope {
  private context: Context | undefined;
  constructor(
    readonly variables: Record<string, unknown>,
    readonly budget: RenderBudget = new RenderBudget(),
  ) {}

  /** The scope of one `$each` item: the same budget, one more step. */
  child(variables: Record<string, unknown>): LeafScope {
    this.budget.step();
    return new LeafScope(variables, this.budget);
  }

  liquidContext(): Context {
    this.context ??= newContext(this.variables, 'mrkdwn', this.budget);
    return this.context;
  }
}

function newContext(variables: object, mode: LeafMode, budget: RenderBudget): Context {
  return new Context(variables, engines[mode].options, { sync: true }, { liquid: engines[mode], renderLimit: budget.renderLimit as never, memoryLimit: budget.memoryLimit as never });
}

/** Renders a parsed template string. Throws liquidjs RenderError (or the filter's error). */
export function renderLeaf(leaf: ParsedLeaf, mode: LeafMode, scope: LeafScope): string {
  scope.budget.step();
  if (leaf.fast) return leaf.fast(scope.liquidContext());
  return renderLeafWithLiquidjs(leaf, mode, scope.variables, scope.budget);
}

/** The reference path: liquidjs renders the string itself, in a fresh Context (assigns stay in their string). */
export function renderLeafWithLiquidjs(leaf: ParsedLeaf, mode: LeafMode, variables: object, budget = new RenderBudget()): string {
  return engines[mode].renderSync(leaf.templates, newContext(variables, mode, budget)) as string;
}
