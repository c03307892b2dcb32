import { describe, expect, it } from 'vitest';
import { isSeverity, SEVERITIES, severityRank } from './severity.ts';

describe('severity', () => {
  it('ranks info lowest and critical highest, in order', () => {
    const ranks = SEVERITIES.map(severityRank);
    expect(ranks).toEqual([0, 1, 2, 3, 4]);
    expect(severityRank('high')).toBeGreaterThan(severityRank('medium'));
  });

  it('recognises only the five severities', () => {
    expect(isSeverity('critical')).toBe(true);
    expect(isSeverity('CRITICAL')).toBe(false);
    expect(isSeverity('warning')).toBe(false);
    expect(isSeverity(3)).toBe(false);
    expect(isSeverity(undefined)).toBe(false);
  });
});
