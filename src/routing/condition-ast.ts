/**
 * The shape of a parsed routing condition. Nodes are plain frozen data, so a parsed condition can be
 * cached and shared, and `and`/`or` hold flat lists so that long chains do not deepen the tree.
 */
import type { Severity } from './severity.ts';

export const CONDITION_FIELDS = ['type', 'severity', 'subject', 'key', 'data'] as const;
export type ConditionFieldName = (typeof CONDITION_FIELDS)[number];

export interface FieldRef {
  readonly name: ConditionFieldName;
  /** Keys below `data` (empty for the other fields); array elements are addressed by index, as text. */
  readonly path: readonly string[];
  /** The field as written, for messages. */
  readonly text: string;
}

export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null'; readonly value: null }
  | { readonly kind: 'severity'; readonly value: Severity };

export const COMPARISON_OPERATORS = ['==', '!=', '>', '>=', '<', '<='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export type ConditionNode =
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: ComparisonOperator; readonly value: Literal }
  | { readonly kind: 'in'; readonly field: FieldRef; readonly values: readonly Literal[] }
  | { readonly kind: 'contains'; readonly field: FieldRef; readonly value: Literal }
  | { readonly kind: 'starts_with'; readonly field: FieldRef; readonly prefix: string }
  | { readonly kind: 'exists'; readonly field: FieldRef }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | { readonly kind: 'and'; readonly operands: readonly ConditionNode[] }
  | { readonly kind: 'or'; readonly operands: readonly ConditionNode[] };

/** What a condition is evaluated against: the routed event. */
export interface ConditionEvent {
  type: string;
  severity: string;
  subject?: string | null;
  key?: string | null;
  data: unknown;
}
