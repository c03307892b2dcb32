/**
 * Routing conditions: the small expression language a destination uses to say which events it wants
 * (`severity >= high and data.env in ["prod", "staging"]`). Parsed and validated once, never
 * evaluated with eval/Function; see docs/conditions.md for the language.
 */
import type { ConditionEvent, ConditionNode } from './condition-ast.ts';
import { evaluateNode } from './condition-evaluator.ts';
import { parseConditionSource } from './condition-parser.ts';

export type { ConditionEvent, ConditionNode } from './condition-ast.ts';
export { CONDITION_LIMITS } from './condition-parser.ts';

export interface Condition {
  readonly source: string;
  readonly root: ConditionNode;
  /** Same as evaluateCondition(this, event). */
  matches(event: ConditionEvent): boolean;
}

/** Parses and validates; throws ValidationError (code `condition_invalid`, details.column) on bad input. */
export function parseCondition(source: string): Condition {
  const root = parseConditionSource(source);
  return Object.freeze({ source, root, matches: (event: ConditionEvent) => evaluateNode(root, event) });
}

/** True when the event satisfies the condition. Never throws. */
export function evaluateCondition(condition: Condition, event: ConditionEvent): boolean {
  return evaluateNode(condition.root, event);
}

/** How many distinct parsed conditions compileCondition keeps; beyond it the least recently used goes. */
const CACHE_SIZE = 1_000;
const cache = new Map<string, Condition>();

/**
 * parseCondition memoised by source, for the routing hot path where the same few conditions are
 * checked for every event. Invalid sources are not cached (they throw each time).
 */
export function compileCondition(source: string): Condition {
  const cached = cache.get(source);
  if (cached) {
    // Re-insert to mark as most recently used (Map keeps insertion order).
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  const condition = parseCondition(source);
  cache.set(source, condition);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return condition;
}
