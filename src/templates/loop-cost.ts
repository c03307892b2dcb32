/**
 * What can be known about a template string's loops before any data arrives: how deep `for` and
 * `tablerow` loops nest, and how many steps loops over literal ranges (`(1..3000)`) take. Saving a
 * template that could only ever hit the render budget is refused here, with the reason; loops
 * over event data are bounded at render time by the message's budget (render-budget.ts).
 */
import { ForTag, TablerowTag, TokenKind, type Template } from 'liquidjs';
import { defaultRenderLimits } from './render-budget.ts';

/** Loops nested deeper than this cannot be saved: three levels over 100 items each is already a million steps. */
export const MAX_LOOP_DEPTH = 2;

interface LoopLike {
  collection?: { kind?: number; lhs?: { kind?: number; content?: unknown }; rhs?: { kind?: number; content?: unknown } };
}

/** A problem with the loops of these parsed templates, or null. */
export function loopProblem(templates: Template[]): string | null {
  const limit = defaultRenderLimits().steps;
  let problem: string | null = null;
  const visit = (nodes: unknown[], depth: number, steps: number): void => {
    for (const node of nodes) {
      if (problem || typeof node !== 'object' || node === null) continue;
      let childDepth = depth;
      let childSteps = steps;
      if (node instanceof ForTag || node instanceof TablerowTag) {
        childDepth = depth + 1;
        if (childDepth > MAX_LOOP_DEPTH) {
          problem = `loops are nested ${childDepth} deep; at most ${MAX_LOOP_DEPTH} levels are allowed, because every level multiplies the work (3 levels over 100 items is a million steps)`;
          return;
        }
        const size = literalRangeSize(node as unknown as LoopLike);
        if (size !== null) {
          childSteps = steps * Math.max(size, 1);
          if (childSteps > limit) {
            problem = `loops over literal ranges take ${childSteps.toLocaleString('en-US')} steps, more than the ${limit.toLocaleString('en-US')} a message may take: use smaller ranges`;
            return;
          }
        }
      }
      for (const children of childLists(node)) visit(children, childDepth, childSteps);
    }
  };
  visit(templates, 0, 1);
  return problem;
}

function literalRangeSize(loop: LoopLike): number | null {
  const c = loop.collection;
  if (c?.kind !== TokenKind.Range || c.lhs?.kind !== TokenKind.Number || c.rhs?.kind !== TokenKind.Number) return null;
  return Math.max(0, Number(c.rhs.content) - Number(c.lhs.content) + 1);
}

/** Nested template lists of a tag: `templates`, `elseTemplates`, `branches[].templates`, `cases`… */
function childLists(node: object): unknown[][] {
  const lists: unknown[][] = [];
  for (const value of Object.values(node)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    if (value.every(isTemplate)) lists.push(value);
    else for (const item of value) if (typeof item === 'object' && item && Array.isArray((item as { templates?: unknown }).templates)) lists.push((item as { templates: unknown[] }).templates);
  }
  return lists;
}

function isTemplate(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'token' in value;
}
