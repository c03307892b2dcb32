/**
 * Event severities, in order. Conditions compare them by rank (`severity >= high`), so the order
 * here is the meaning of `>`/`<` for severities everywhere in routing.
 */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** 0 for info up to 4 for critical; undefined for anything that is not a severity. */
export function severityRank(value: string): number | undefined {
  const rank = (SEVERITIES as readonly string[]).indexOf(value);
  return rank === -1 ? undefined : rank;
}
