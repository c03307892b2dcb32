/**
 * Evaluates a parsed condition against one event. Total by design: a missing field or a value of
 * the wrong type makes a test false (and `!=` true, being exactly `not ==`); nothing here throws,
 * because a bad event must not stop routing for everyone else.
 */
import type { ConditionEvent, ConditionNode, FieldRef, Literal } from './condition-ast.ts';
import { severityRank } from './severity.ts';

/** Stands for "no such field" (distinct from a present `null`). */
const MISSING = Symbol('missing');
type FieldValue = unknown;

const INDEX = /^(0|[1-9][0-9]*)$/;

export function evaluateNode(node: ConditionNode, event: ConditionEvent): boolean {
  switch (node.kind) {
    case 'and':
      return node.operands.every((operand) => evaluateNode(operand, event));
    case 'or':
      return node.operands.some((operand) => evaluateNode(operand, event));
    case 'not':
      return !evaluateNode(node.operand, event);
    case 'exists': {
      const value = readField(node.field, event);
      return value !== MISSING && value !== null;
    }
    case 'compare': {
      if (node.op === '!=') return !equals(readField(node.field, event), node.value);
      const value = readField(node.field, event);
      if (node.op === '==') return equals(value, node.value);
      const order = compare(value, node.value);
      if (order === undefined) return false;
      switch (node.op) {
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
      }
      return false;
    }
    case 'in': {
      const value = readField(node.field, event);
      return node.values.some((literal) => equals(value, literal));
    }
    case 'contains': {
      const value = readField(node.field, event);
      if (Array.isArray(value)) return value.some((element) => equals(element, node.value));
      return typeof value === 'string' && node.value.kind === 'string' && value.includes(node.value.value);
    }
    case 'starts_with': {
      const value = readField(node.field, event);
      return typeof value === 'string' && value.startsWith(node.prefix);
    }
  }
}

function readField(field: FieldRef, event: ConditionEvent): FieldValue {
  switch (field.name) {
    case 'type':
      return event.type;
    case 'severity':
      return event.severity;
    case 'subject':
      return event.subject ?? MISSING;
    case 'key':
      return event.key ?? MISSING;
    case 'data':
      return readPath(event.data, field.path);
  }
}

/** Follows own properties only, so `data.constructor` or `data.__proto__` never reach prototypes. */
function readPath(root: unknown, path: readonly string[]): FieldValue {
  let current: unknown = root;
  for (const key of path) {
    if (Array.isArray(current)) {
      if (!INDEX.test(key)) return MISSING;
      const index = Number(key);
      if (index >= current.length) return MISSING;
      current = current[index];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.prototype.hasOwnProperty.call(current, key)) return MISSING;
      current = (current as Record<string, unknown>)[key];
    } else {
      return MISSING;
    }
    if (current === undefined) return MISSING;
  }
  return current;
}

/** Strict equality of a field value and a literal, without type coercion. */
function equals(value: FieldValue, literal: Literal): boolean {
  if (value === MISSING) return false;
  // A severity literal compares with the event's severity string; unknown severities simply differ.
  return value === literal.value;
}

/** Sign of value − literal, or undefined when the two cannot be ordered. */
function compare(value: FieldValue, literal: Literal): number | undefined {
  if (literal.kind === 'severity') {
    const rank = typeof value === 'string' ? severityRank(value) : undefined;
    if (rank === undefined) return undefined;
    return Math.sign(rank - (severityRank(literal.value) as number));
  }
  if (literal.kind === 'number' && typeof value === 'number') return Math.sign(value - literal.value);
  if (literal.kind === 'string' && typeof value === 'string') {
    return value < literal.value ? -1 : value > literal.value ? 1 : 0;
  }
  return undefined;
}
