/**
 * Renders a compiled template tree against a scope into fresh JSON: Liquid leaves become strings
 * (so the output is valid JSON whatever the data holds), `$each` expands, `$if` keeps or drops.
 */
import { ValidationError } from '../errors.ts';
import type { CompiledNode } from './compile-template.ts';
import { replaceUnstorable } from '../db/storable-text.ts';
import { RenderBudgetExceeded } from './render-budget.ts';
import { LeafScope, renderLeaf } from './template-engine.ts';

/** Marks a value that disappears: a false `$if` without `else`. */
const OMIT: unique symbol = Symbol('omit');
type Rendered = unknown;

export type Scope = Record<string, unknown>;

/** Renders a node; a node that renders to nothing yields undefined. */
export function renderTree(node: CompiledNode, scope: LeafScope): unknown {
  const value = render(node, scope);
  return value === OMIT ? undefined : value;
}

function render(node: CompiledNode, scope: LeafScope): Rendered | typeof OMIT {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'liquid':
      try {
        // Filters can make text the database cannot store out of text it can (`url_decode` of %00,
        // `base64_decode`, `split: ""` through an emoji): replaced as a decoder would.
        return replaceUnstorable(renderLeaf(node.leaf, node.mode, scope));
      } catch (error) {
        const over = budgetExceeded(error);
        if (over) throw new ValidationError(`The template could not be rendered at ${node.path}: ${over.message}`, { problems: [{ path: node.path, message: over.message }], limit: over.details?.limit }, 'template_invalid');
        throw new ValidationError(
          `The template could not be rendered at ${node.path}: ${(error as Error).message}`,
          { problems: [{ path: node.path, message: `Liquid: ${(error as Error).message}` }] },
          'template_invalid',
        );
      }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of node.entries) {
        const value = render(child, scope);
        if (value !== OMIT) out[key] = value;
      }
      return out;
    }
    case 'array': {
      const out: unknown[] = [];
      for (const item of node.items) appendTo(out, item, scope);
      return out;
    }
    case 'if':
      if (isTruthy(resolvePath(scope.variables, node.source)) !== node.negate) return render(node.then, scope);
      return node.else ? render(node.else, scope) : OMIT;
    case 'each': {
      // Only reached outside an array, which compileTemplate rejects; render as one expansion.
      const out: unknown[] = [];
      appendTo(out, node, scope);
      return out;
    }
  }
}

function appendTo(out: unknown[], node: CompiledNode, scope: LeafScope): void {
  if (node.kind !== 'each') {
    const value = render(node, scope);
    if (value !== OMIT) out.push(value);
    return;
  }
  const items = resolvePath(scope.variables, node.source);
  if (!Array.isArray(items)) return;
  for (const item of items) {
    const value = render(node.template, scope.child({ ...scope.variables, [node.as]: item }));
    if (value !== OMIT) out.push(value);
  }
}

/** Follows a dotted path through own properties only (never the prototype chain). */
export function resolvePath(scope: Scope, path: readonly string[]): unknown {
  let current: unknown = scope;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** `$if` truthiness: missing, null, false, "" and [] are false; everything else (0 included) is true. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (Array.isArray(value) && value.length === 0) return false;
  return true;
}

/** The budget error behind liquidjs's wrapping (RenderError keeps the original as `originalError`), or null. */
function budgetExceeded(error: unknown): RenderBudgetExceeded | null {
  for (let e = error as { originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e instanceof RenderBudgetExceeded) return e;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return null;
}
