/**
 * Turns a stored MessageTemplate into a tree ready to render: every string leaf containing Liquid is
 * parsed once (in the mode Slack will read it in), and the `$each` / `$if` directives are checked.
 * Compiling reports every problem with a JSON pointer into the template instead of stopping at the
 * first, so an API caller can fix them all at once.
 *
 * Directives (docs/templates.md):
 *   array element  {"$each": "data.fields", "as": "f", "template": <any>}  → one element per item
 *   array element  {"$if": "data.runbook_url", "then": <any>, "else"?: <any>} → dropped when falsy (no else)
 *   property value {"$if": ..., "then": ..., "else"?: ...}                 → property omitted when falsy
 */
import { MESSAGE_TEMPLATE_FIELDS, type TemplateProblem } from './message-template.ts';
import { hasLiquid, parseLeaf, type ParsedLeaf } from './template-engine.ts';
import type { LeafMode } from './template-filters.ts';

export type CompiledNode =
  | { kind: 'literal'; path: string; value: string | number | boolean | null }
  | { kind: 'liquid'; path: string; mode: LeafMode; source: string; leaf: ParsedLeaf }
  | { kind: 'object'; path: string; entries: Array<[string, CompiledNode]> }
  | { kind: 'array'; path: string; items: CompiledNode[] }
  | { kind: 'each'; path: string; source: string[]; as: string; template: CompiledNode }
  | { kind: 'if'; path: string; source: string[]; negate: boolean; then: CompiledNode; else?: CompiledNode };

export interface CompiledTemplate {
  text: CompiledNode;
  blocks?: CompiledNode;
  problems: TemplateProblem[];
}

const PATH_SEGMENT = /^(?:[A-Za-z_][A-Za-z0-9_]*|\d+)$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SCOPE_ROOTS = ['event', 'data', 'project', 'root'] as const;
const DIRECTIVE_KEYS = { $each: ['$each', 'as', 'template'], $if: ['$if', 'then', 'else'] } as const;
const DEFAULT_EACH_NAME = 'item';

/** JSON pointer of a child (RFC 6901 escapes only when needed: this runs for every node of a template). */
function pointer(path: string, key: string | number): string {
  if (typeof key === 'number' || !/[~/]/.test(key)) return `${path}/${key}`;
  return `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

const compiledByTemplate = new WeakMap<object, CompiledTemplate>();

/** Compiles a template (cached per template object; templates are treated as immutable). */
export function compileTemplate(template: unknown): CompiledTemplate {
  if (typeof template === 'object' && template !== null) {
    const hit = compiledByTemplate.get(template);
    if (hit) return hit;
  }
  const compiled = new Compiler().compileMessage(template);
  if (typeof template === 'object' && template !== null) compiledByTemplate.set(template, compiled);
  return compiled;
}

class Compiler {
  readonly problems: TemplateProblem[] = [];

  compileMessage(template: unknown): CompiledTemplate {
    const empty: CompiledNode = { kind: 'literal', path: '/text', value: '' };
    if (typeof template !== 'object' || template === null || Array.isArray(template)) {
      this.problem('', 'must be an object with a "text" template and optional "blocks"');
      return { text: empty, problems: this.problems };
    }
    const record = template as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!(MESSAGE_TEMPLATE_FIELDS as readonly string[]).includes(key)) {
        this.problem(pointer('', key), `unknown field; a template has ${MESSAGE_TEMPLATE_FIELDS.join(' and ')}`);
      }
    }
    let text: CompiledNode = empty;
    if (typeof record.text !== 'string' || record.text.trim() === '') {
      // Slack uses the top-level text for notifications and screen readers, so it is never optional.
      this.problem('/text', 'is required: a Liquid template for the notification and fallback text');
    } else {
      text = this.leaf(record.text, '/text', 'mrkdwn');
    }
    let blocks: CompiledNode | undefined;
    if (record.blocks !== undefined) {
      if (!Array.isArray(record.blocks)) this.problem('/blocks', 'must be an array of Block Kit blocks');
      else blocks = this.array(record.blocks, '/blocks');
    }
    return { text, blocks, problems: this.problems };
  }

  private problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** `mode` is how Slack reads a string at this position (decided by the enclosing object). */
  private value(value: unknown, path: string, mode: LeafMode): CompiledNode {
    if (typeof value === 'string') return this.leaf(value, path, mode);
    if (value === null || typeof value === 'number' || typeof value === 'boolean') {
      return { kind: 'literal', path, value };
    }
    if (Array.isArray(value)) return this.array(value, path);
    if (typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ('$if' in record) return this.ifDirective(record, path, mode);
      if ('$each' in record) {
        this.problem(path, '"$each" may only be used as an array element');
        return { kind: 'literal', path, value: null };
      }
      return this.object(record, path);
    }
    this.problem(path, 'must be a JSON value (string, number, boolean, null, array or object)');
    return { kind: 'literal', path, value: null };
  }

  private leaf(source: string, path: string, mode: LeafMode): CompiledNode {
    if (!hasLiquid(source)) return { kind: 'literal', path, value: source };
    try {
      return { kind: 'liquid', path, mode, source, leaf: parseLeaf(source, mode) };
    } catch (error) {
      this.problem(path, `Liquid: ${(error as Error).message}`);
      return { kind: 'literal', path, value: '' };
    }
  }

  private object(record: Record<string, unknown>, path: string): CompiledNode {
    // Slack parses mrkdwn only in the `text` of a mrkdwn (or markdown) text object; a dynamic type is
    // treated as mrkdwn, the safe side. Every other string (plain_text, url, value, alt_text) is literal.
    const type = record.type;
    const textMode: LeafMode =
      type === 'mrkdwn' || type === 'markdown' || (typeof type === 'string' && hasLiquid(type)) ? 'mrkdwn' : 'plain';
    const entries: Array<[string, CompiledNode]> = [];
    for (const [key, child] of Object.entries(record)) {
      if (key.startsWith('$')) {
        this.problem(pointer(path, key), 'unknown directive; use "$each" or "$if"');
        continue;
      }
      entries.push([key, this.value(child, pointer(path, key), key === 'text' ? textMode : 'plain')]);
    }
    return { kind: 'object', path, entries };
  }

  private array(items: unknown[], path: string): CompiledNode {
    const compiled = items.map((item, index) => {
      const itemPath = pointer(path, index);
      if (typeof item === 'object' && item !== null && !Array.isArray(item) && '$each' in item) {
        return this.eachDirective(item as Record<string, unknown>, itemPath);
      }
      return this.value(item, itemPath, 'plain');
    });
    return { kind: 'array', path, items: compiled };
  }

  private eachDirective(record: Record<string, unknown>, path: string): CompiledNode {
    this.onlyKeys(record, path, DIRECTIVE_KEYS.$each);
    const source = this.sourcePath(record.$each, pointer(path, '$each'));
    let as = DEFAULT_EACH_NAME;
    if (record.as !== undefined) {
      if (typeof record.as !== 'string' || !IDENTIFIER.test(record.as)) {
        this.problem(pointer(path, 'as'), 'must be a variable name such as "field" (letters, digits, _)');
      } else if ((SCOPE_ROOTS as readonly string[]).includes(record.as)) {
        this.problem(pointer(path, 'as'), `must not hide the built-in variable "${record.as}"`);
      } else {
        as = record.as;
      }
    }
    if (record.template === undefined) {
      this.problem(path, 'missing required field: template (the element to repeat)');
      return { kind: 'literal', path, value: null };
    }
    const template = this.value(record.template, pointer(path, 'template'), 'plain');
    return { kind: 'each', path, source, as, template };
  }

  private ifDirective(record: Record<string, unknown>, path: string, mode: LeafMode): CompiledNode {
    this.onlyKeys(record, path, DIRECTIVE_KEYS.$if);
    // "!path" holds when the value is false (e.g. "!root": only for a subject's first event).
    const negate = typeof record.$if === 'string' && record.$if.startsWith('!');
    const source = this.sourcePath(negate ? (record.$if as string).slice(1) : record.$if, pointer(path, '$if'));
    if (record.then === undefined) {
      this.problem(path, 'missing required field: then (what to use when the condition holds)');
      return { kind: 'literal', path, value: null };
    }
    const then = this.value(record.then, pointer(path, 'then'), mode);
    const otherwise = record.else === undefined ? undefined : this.value(record.else, pointer(path, 'else'), mode);
    return { kind: 'if', path, source, negate, then, else: otherwise };
  }

  private onlyKeys(record: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.problem(pointer(path, key), `unknown field; allowed here: ${allowed.join(', ')}`);
    }
  }

  private sourcePath(value: unknown, path: string): string[] {
    const segments = typeof value === 'string' ? value.split('.') : [];
    if (segments.length === 0 || !segments.every((segment) => PATH_SEGMENT.test(segment))) {
      this.problem(path, 'must be a dotted variable path such as "data.fields" (no Liquid, no filters)');
      return [];
    }
    return segments;
  }
}
