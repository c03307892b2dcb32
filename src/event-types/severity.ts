/**
 * Event severities, lowest to highest. Routing rules filter on a minimum severity and templates
 * show it, so the order here is the one thing everyone relies on.
 */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 0 for info up to 4 for critical: compare ranks, never the strings. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function isSeverity(x: unknown): x is Severity {
  return typeof x === 'string' && (SEVERITIES as readonly string[]).includes(x);
}

/** One emoji per severity, for headers and fallback text a reader scans in a busy channel. */
export const SEVERITY_EMOJI = {
  info: 'ℹ️',
  low: '🔵',
  medium: '🟡',
  high: '🟠',
  critical: '🔴',
} as const satisfies Record<Severity, string>;
