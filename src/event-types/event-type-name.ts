/**
 * The one rule for event type names, shared by the API (custom event types) and the built-in packs:
 * lowercase dotted segments such as `approval.created` or `deployment.failed`.
 */
const SEGMENT = /^[a-z0-9_]+$/;
export const EVENT_TYPE_NAME_MAX_LENGTH = 100;

/** Returns null when `name` is valid, otherwise a sentence saying what to fix. */
export function checkEventTypeName(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'must not be empty';
  if (name.length > EVENT_TYPE_NAME_MAX_LENGTH) {
    return `must be at most ${EVENT_TYPE_NAME_MAX_LENGTH} characters (got ${name.length})`;
  }
  if (name.startsWith('.') || name.endsWith('.')) return 'must not start or end with a dot';
  const segments = name.split('.');
  if (segments.some((segment) => segment === '')) return 'must not contain empty segments (two dots in a row)';
  const bad = segments.find((segment) => !SEGMENT.test(segment));
  if (bad !== undefined) {
    return `segment "${bad}" may only contain lowercase letters a-z, digits and _ (e.g. approval.created)`;
  }
  return null;
}
