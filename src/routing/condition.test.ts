import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { compileCondition, evaluateCondition, parseCondition, type ConditionEvent } from './condition.ts';

const alert: ConditionEvent = {
  type: 'alert.triggered',
  severity: 'critical',
  subject: 'incident:42',
  key: 'alert-42',
  data: {
    env: 'prod',
    amount: 150,
    currency: 'EUR',
    tags: ['db', 'api'],
    runbook_url: 'https://runbooks.example.com/db',
    major: true,
    dry_run: false,
    owner: { team: 'platform' },
  },
};
const approval: ConditionEvent = {
  type: 'approval.created',
  severity: 'low',
  subject: 'approval:7',
  key: null,
  data: {
    env: 'staging',
    amount: 50,
    currency: 'USD',
    tags: [],
    runbook_url: null,
    major: false,
    dry_run: true,
    'odd key': { x: 1 },
    items: [{ name: 'first' }, { name: 'second' }],
  },
};
const bare: ConditionEvent = { type: 'deploy.finished', severity: 'high', data: null };

// expression → expected result for [alert, approval, bare]
const table: Array<[string, [boolean, boolean, boolean]]> = [
  ['severity >= high', [true, false, true]],
  ['severity > high', [true, false, false]],
  ['severity < medium', [false, true, false]],
  ['severity == critical', [true, false, false]],
  ['severity == "critical"', [true, false, false]],
  ['severity in [low, "high"]', [false, true, true]],
  ['data.major == true', [true, false, false]],
  ['data.amount > 100 and data.currency == "EUR"', [true, false, false]],
  ['data.amount <= 50', [false, true, false]],
  ['data.amount >= 50.0', [true, true, false]],
  ['data.amount > -1e3', [true, true, false]],
  ['data.env in ["prod", "staging"]', [true, true, false]],
  ['not (data.dry_run == true)', [true, false, true]],
  ['not data.dry_run == true', [true, false, true]],
  ['subject starts_with "approval:"', [false, true, false]],
  ['data.tags contains "db"', [true, false, false]],
  ['subject contains ":4"', [true, false, false]],
  ['exists(data.runbook_url)', [true, false, false]],
  ['not exists(subject)', [false, false, true]],
  ['type == "alert.triggered" or severity == critical', [true, false, false]],
  ['type == "alert.triggered" or severity == high', [true, false, true]],
  ['data.owner.team == "platform"', [true, false, false]],
  ['data["odd key"].x == 1', [false, true, false]],
  ['data.items[1].name == "second"', [false, true, false]],
  ['data.items.0.name == "first"', [false, true, false]],
  ['data.runbook_url == null', [false, true, false]],
  ['key == "alert-42"', [true, false, false]],
  ['data.missing == "x"', [false, false, false]],
  // `!=` is exactly `not ==`, so a missing field is "not equal".
  ['data.missing != "x"', [true, true, true]],
  ['key != "alert-42"', [false, true, true]],
  // No coercion: a number never equals a string, a string never orders against a number.
  ['data.amount == "150"', [false, false, false]],
  ['data.env > 5', [false, false, false]],
  ['data.currency > "E"', [true, true, false]],
  ['data.owner == "platform"', [false, false, false]],
  // Only own keys are fields: prototype members are not reachable.
  ['exists(data.constructor)', [false, false, false]],
  ['exists(data.tags.length)', [false, false, false]],
  ['data.amount > 100 and data.currency == "EUR" or subject starts_with "approval:"', [true, true, false]],
  ['data.amount > 100 and (data.currency == "USD" or subject starts_with "incident:")', [true, false, false]],
];

describe('evaluateCondition', () => {
  it.each(table)('%s', (source, expected) => {
    const condition = parseCondition(source);
    expect([alert, approval, bare].map((event) => evaluateCondition(condition, event))).toEqual(expected);
  });

  it('treats an event whose severity is not a known level as unordered', () => {
    const odd = { ...bare, severity: 'urgent' };
    expect(evaluateCondition(parseCondition('severity >= info'), odd)).toBe(false);
    expect(evaluateCondition(parseCondition('severity < critical'), odd)).toBe(false);
    expect(evaluateCondition(parseCondition('severity != info'), odd)).toBe(true);
  });

  it('offers the same answer through Condition.matches', () => {
    expect(parseCondition('severity >= high').matches(alert)).toBe(true);
    expect(parseCondition('severity >= high').matches(approval)).toBe(false);
  });
});

describe('parseCondition errors', () => {
  // Each message says what is wrong and at which 1-based column.
  it.each([
    ['data.amount >= ', "expected a value after '>=' at column 16, but the condition ends there", 16],
    ['data.amount >= )', "expected a value after '>=' at column 16, found ')'", 16],
    ['amount > 100', 'expected a field (type, severity, subject, key or data.<path>) at column 1', 1],
    ['amount > 100', 'did you mean data.amount?', 1],
    ['data.env == prod', 'write text in double quotes: "prod"', 13],
    ['data.level == high', "'high' is a severity and only compares with severity", 15],
    ['severity >= "urgent"', 'unknown severity "urgent" at column 13', 13],
    ['severity >= hgh', 'unknown severity hgh at column 13: did you mean high?', 13],
    ['severity in [low, "meduim"]', 'unknown severity "meduim" at column 19: did you mean medium?', 19],
    ['severity == urgent', 'unknown severity urgent at column 13 (severities: info, low, medium, high, critical)', 13],
    ['severity >= 3', 'severity compares with one of info, low, medium, high, critical, not 3', 13],
    ['data.x == 1 AND data.y == 2', "expected 'and', 'or' or the end of the condition at column 13, found 'AND' (keywords are lower-case: 'and')", 13],
    ['(data.x == 1', "expected ')' at column 13 to close the '(' at column 1, but the condition ends there", 13],
    ['data.x == 1)', "unexpected ')' at column 12", 12],
    ['data.x = 1', "unexpected character '=' at column 8 (write '==' to compare)", 8],
    ['data.x == 1 && data.y == 2', "unexpected character '&' at column 13 (write 'and' instead of '&&')", 13],
    ["data.x == 'a'", 'strings use double quotes', 11],
    ['data.x == "abc', 'the string starting at column 11 has no closing \'"\'', 11],
    ['data.x == "a\\qb"', "unknown escape '\\q' in a string at column 13", 13],
    ['data.x in []', "the list after 'in' at column 11 is empty", 11],
    ['data.x in "prod"', 'expected a list like ["prod", "staging"] after \'in\' at column 11', 11],
    ['data.x in ["a" "b"]', "expected ',' or ']' in the list opened at column 11, at column 16", 16],
    ['data.x > true', "'>' orders numbers, text or severities; it cannot compare with true", 8],
    ['subject starts_with 5', 'expected a "quoted string" after \'starts_with\' at column 21', 21],
    ['severity contains "h"', "'contains' applies to text and lists", 10],
    ['severity', "expected an operator (==, !=, >, >=, <, <=, in, contains, starts_with) after 'severity' at column 9", 9],
    ['data', "expected '.' and a key after 'data' at column 5", 5],
    ['type.x == "a"', "'type' has no keys; only data.<path> does", 5],
    ['exists data.x', "expected '(' at column 8 after 'exists'", 8],
    ['data.x == subject', 'a field can only be compared with a value', 11],
    ['data.x == 1 and', 'expected a field (type, severity, subject, key or data.<path>) at column 16, but the condition ends there', 16],
    ['   ', 'the condition is empty', 1],
  ])('%j → %s', (source, message, column) => {
    let caught: unknown;
    try {
      parseCondition(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.code).toBe('condition_invalid');
    expect(error.message).toContain(message);
    expect(error.details).toEqual({ column });
  });

  it('refuses sources longer than 2,000 characters', () => {
    const source = `data.x == "${'a'.repeat(2_000)}"`;
    expect(() => parseCondition(source)).toThrow(/at most 2000 characters long; this one has 2012/);
  });

  it('accepts 32 levels of nesting and refuses 33', () => {
    const nest = (levels: number) => '('.repeat(levels) + 'data.x == 1' + ')'.repeat(levels);
    expect(parseCondition(nest(32)).matches({ ...alert, data: { x: 1 } })).toBe(true);
    expect(() => parseCondition(nest(33))).toThrow(/nests more than 32 levels/);
    expect(() => parseCondition(`${'not '.repeat(33)}data.x == 1`)).toThrow(/nests more than 32 levels/);
  });

  it('does not count long and/or chains as nesting', () => {
    const source = Array.from({ length: 100 }, (_, i) => `data.n == ${i}`).join(' or ');
    expect(parseCondition(source).matches({ ...alert, data: { n: 99 } })).toBe(true);
  });
});

describe('compileCondition', () => {
  it('returns the same parsed condition for the same source', () => {
    const first = compileCondition('severity >= medium');
    expect(compileCondition('severity >= medium')).toBe(first);
    expect(first.matches(alert)).toBe(true);
  });

  it('still throws for invalid sources every time', () => {
    expect(() => compileCondition('severity >=')).toThrow(ValidationError);
    expect(() => compileCondition('severity >=')).toThrow(ValidationError);
  });

  it('hands out frozen conditions, so a caller cannot corrupt the shared cache', () => {
    const condition = compileCondition('data.env in ["prod"]');
    expect(Object.isFrozen(condition)).toBe(true);
    expect(Object.isFrozen(condition.root)).toBe(true);
  });
});

describe('docs/conditions.md', () => {
  it('shows only examples that parse', () => {
    const doc = readFileSync(new URL('../../docs/conditions.md', import.meta.url), 'utf8');
    const block = /## Conditions at a glance\s+```text\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const examples = block.split('\n').filter((line) => line.trim() !== '');
    expect(examples.length).toBeGreaterThanOrEqual(9);
    for (const example of examples) expect(() => parseCondition(example)).not.toThrow();
  });
});
