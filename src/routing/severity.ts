/**
 * Severities as routing conditions compare them (`severity >= high`). The list and its order are
 * defined once, in src/event-types/severity.ts; this adds a rank lookup for any string, since a
 * condition may meet values that are not severities.
 */
import { SEVERITIES } from '../event-types/severity.ts';

export { isSeverity, SEVERITIES, type Severity } from '../event-types/severity.ts';

/** 0 for info up to 4 for critical; undefined for anything that is not a severity. */
export function severityRank(value: string): number | undefined {
  const rank = (SEVERITIES as readonly string[]).indexOf(value);
  return rank === -1 ? undefined : rank;
}
