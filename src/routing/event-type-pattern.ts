/**
 * Which event types a destination subscribes to. A subscription is an exact event type
 * (`approval.created`), a prefix wildcard (`approval.*`: every type below `approval.`, at any depth,
 * but not `approval` itself nor `approvals.x`), or `*` (everything).
 */
import { closestMatch } from '../did-you-mean.ts';

/** One dot-separated part of an event type: letters, digits, `_` and `-`. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_PATTERN_LENGTH = 200;

/** null when the pattern is valid, else a sentence saying what to fix. */
export function checkSubscriptionPattern(pattern: string): string | null {
  if (pattern.length === 0) return 'the event type pattern is empty';
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `the event type pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  }
  if (pattern === '*') return null;
  const segments = pattern.split('.');
  for (const [index, segment] of segments.entries()) {
    const isLast = index === segments.length - 1;
    if (segment === '*') {
      if (isLast) continue;
      return `'*' may only stand alone or as the last part of a pattern, as in 'approval.*' (got '${pattern}')`;
    }
    if (segment === '') {
      return `'${pattern}' has an empty part between dots; write event types like 'approval.created' or 'approval.*'`;
    }
    if (segment.includes('*')) {
      return `'*' must be a whole part of the pattern ('approval.*'), not part of a word as in '${segment}'`;
    }
    if (!SEGMENT.test(segment)) {
      return `'${segment}' in '${pattern}' may contain only letters, digits, '_' and '-'`;
    }
  }
  return null;
}

/** True when the event type is matched by at least one of the (already validated) patterns. */
export function matchesSubscriptions(eventType: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesPattern(eventType, pattern));
}

function matchesPattern(eventType: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) {
    // Keep the dot in the prefix so `approval.*` cannot match `approvals.x` or `approval` itself.
    const prefix = pattern.slice(0, -1);
    return eventType.length > prefix.length && eventType.startsWith(prefix);
  }
  return eventType === pattern;
}

/**
 * null when the (valid) pattern matches at least one of the known event types; otherwise what it
 * probably meant: the nearest known type for an exact name, the nearest `prefix.*` for a wildcard.
 */
export function checkPatternMatchesKnown(pattern: string, knownTypes: readonly string[]): { suggestion?: string } | null {
  if (knownTypes.some((type) => matchesPattern(type, pattern))) return null;
  if (!pattern.endsWith('.*')) {
    const near = closestMatch(pattern, knownTypes);
    return near ? { suggestion: near } : {};
  }
  // Every wildcard that would match something: approval.*, and for a.b.c also a.b.*.
  const wildcards = new Set<string>();
  for (const type of knownTypes) {
    const parts = type.split('.');
    for (let n = 1; n < parts.length; n++) wildcards.add(`${parts.slice(0, n).join('.')}.*`);
  }
  const stem = pattern.slice(0, -2);
  const near = closestMatch(pattern, wildcards) ?? (knownTypes.includes(stem) ? stem : closestMatch(stem, knownTypes));
  return near ? { suggestion: near } : {};
}
