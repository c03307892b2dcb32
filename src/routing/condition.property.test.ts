import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { evaluateCondition, parseCondition, type ConditionEvent } from './condition.ts';
import { SEVERITIES } from './severity.ts';

/** Runs parseCondition and reports whether it parsed; any error other than ValidationError fails. */
function parsesOrRejectsCleanly(source: string): boolean {
  try {
    parseCondition(source);
    return true;
  } catch (error) {
    if (!(error instanceof ValidationError) || error.code !== 'condition_invalid') throw error;
    const column = (error.details as { column: number }).column;
    expect(Number.isInteger(column) && column >= 1).toBe(true);
    return false;
  }
}

const tokenSoup = fc
  .array(
    fc.constantFrom(
      'severity', 'type', 'subject', 'key', 'data', '.', 'x', '[', ']', '"a"', '"', '\\', '0', '-1', '1e9',
      '==', '!=', '>', '>=', '<', '<=', '=', 'in', 'contains', 'starts_with', 'exists', '(', ')', ',', 'and',
      'or', 'not', 'AND', 'true', 'false', 'null', 'high', 'critical', '&&', "'", '\n', '\u2028', '😀',
    ),
    { maxLength: 300 },
  )
  .chain((parts) => fc.constantFrom('', ' ').map((separator) => parts.join(separator)));

const fields = ['type', 'severity', 'subject', 'key', 'data.a', 'data.b', 'data.a.b', 'data["odd key"]', 'data.list[0]', 'data.constructor', 'data.__proto__'];

const valueFor = (field: string, ordered: boolean): fc.Arbitrary<string> => {
  if (field === 'severity') return fc.constantFrom(...SEVERITIES, ...SEVERITIES.map((s) => `"${s}"`));
  const text = fc.string({ unit: 'binary', maxLength: 8 }).map((s) => JSON.stringify(s));
  const number = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n));
  return ordered ? fc.oneof(text, number) : fc.oneof(text, number, fc.constantFrom('true', 'false', 'null'));
};

const test = fc.constantFrom(...fields).chain((field) =>
  fc.oneof(
    fc.constantFrom('==', '!=').chain((op) => valueFor(field, false).map((v) => `${field} ${op} ${v}`)),
    fc.constantFrom('>', '>=', '<', '<=').chain((op) => valueFor(field, true).map((v) => `${field} ${op} ${v}`)),
    fc.array(valueFor(field, false), { minLength: 1, maxLength: 4 }).map((vs) => `${field} in [${vs.join(', ')}]`),
    fc.constant(`exists(${field})`),
    ...(field === 'severity'
      ? []
      : [
          valueFor(field, false).map((v) => `${field} contains ${v}`),
          fc.string({ maxLength: 4 }).map((s) => `${field} starts_with ${JSON.stringify(s)}`),
        ]),
  ),
);

const { condition: validCondition } = fc.letrec<{ condition: string }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', maxDepth: 6 },
    test,
    tie('condition').map((c) => `not (${c})`),
    fc.tuple(tie('condition'), fc.constantFrom('and', 'or'), tie('condition')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
  ),
}));

const data = fc.oneof(
  fc.anything(),
  fc.record(
    {
      a: fc.oneof(fc.jsonValue(), fc.record({ b: fc.jsonValue() })),
      b: fc.jsonValue(),
      'odd key': fc.jsonValue(),
      list: fc.array(fc.jsonValue(), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
);

const event: fc.Arbitrary<ConditionEvent> = fc.record({
  type: fc.constantFrom('alert.triggered', 'approval.created'),
  severity: fc.oneof(fc.constantFrom(...SEVERITIES), fc.string({ maxLength: 6 })),
  subject: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  key: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  data,
});

describe('parseCondition on arbitrary input', () => {
  // A hang would show up as this test never finishing (the suite's timeout), not as a time threshold.
  it('only ever returns a condition or throws ValidationError, for random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2_100 }), (s) => void parsesOrRejectsCleanly(s)), {
      numRuns: 1_000,
    });
  });

  it('only ever returns a condition or throws ValidationError, for random token sequences', () => {
    fc.assert(fc.property(tokenSoup, (s) => void parsesOrRejectsCleanly(s)), { numRuns: 5_000 });
  });
});

describe('well-formed conditions', () => {
  it('parse, and evaluate without throwing on any event; `not` inverts exactly', () => {
    fc.assert(
      fc.property(validCondition, event, (source, e) => {
        const result = evaluateCondition(parseCondition(source), e);
        expect(evaluateCondition(parseCondition(`not (${source})`), e)).toBe(!result);
      }),
      { numRuns: 3_000 },
    );
  });

  it('decode every JSON-style string literal to exactly the text it encodes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (text) => {
        const condition = parseCondition(`data.a == ${JSON.stringify(text)}`);
        expect(evaluateCondition(condition, { type: 't', severity: 'info', data: { a: text } })).toBe(true);
        expect(evaluateCondition(condition, { type: 't', severity: 'info', data: { a: `${text}.` } })).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });
});
