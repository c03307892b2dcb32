import { describe, expect, it } from 'vitest';
import { checkEventTypeName } from './event-type-name.ts';

describe('checkEventTypeName', () => {
  it.each(['approval.created', 'deployment.failed', 'metric.threshold_breached', 'ping', 'a.b.c.d', 'v2.build_1'])(
    'accepts %s',
    (name) => {
      expect(checkEventTypeName(name)).toBeNull();
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['Approval.Created', 'segment "Approval"'],
    ['approval-created', 'segment "approval-created"'],
    ['approval created', 'segment "approval created"'],
    ['.approval', 'must not start or end with a dot'],
    ['approval.', 'must not start or end with a dot'],
    ['approval..created', 'empty segments'],
    ['approval.créé', 'segment "créé"'],
  ])('rejects %j saying what to fix', (name, hint) => {
    expect(checkEventTypeName(name)).toContain(hint);
  });

  it('accepts exactly 100 characters and rejects 101', () => {
    expect(checkEventTypeName('a'.repeat(100))).toBeNull();
    expect(checkEventTypeName('a'.repeat(101))).toContain('at most 100 characters');
  });
});
