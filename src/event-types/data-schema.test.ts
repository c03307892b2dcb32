import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../did-you-mean.ts';
import { ValidationError } from '../errors.ts';
import { BUILT_IN_EVENT_TYPES } from './built-in-event-types.ts';
import { checkDataSchema, sampleFromSchema, validateData, type DataSchema } from './data-schema.ts';

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('did you mean', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('requestor', 'requester')).toBe(1);
    expect(editDistance('titel', 'title')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it.each([
    ['requestor', ['requester', 'approver'], 'requester'],
    ['hgh', ['info', 'low', 'medium', 'high', 'critical'], 'high'],
    ['Requester', ['requester'], 'requester'],
    ['ab', ['id', 'key'], undefined],
    ['project', ['key', 'action', 'requester'], undefined],
  ])('%s among %j → %s', (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });
});

describe('built-in data schemas', () => {
  it.each(BUILT_IN_EVENT_TYPES.map((t) => [t.name, t] as const))('%s: a valid schema its sample data satisfies without warnings', (_name, type) => {
    expect(checkDataSchema(structuredClone(type.dataSchema))).toBeTruthy();
    expect(validateData(type.name, type.dataSchema, type.sampleData)).toEqual([]);
  });

  it.each(BUILT_IN_EVENT_TYPES.map((t) => [t.name, t] as const))('%s: declares every data field its templates use, and requires only fields they use', (_name, type) => {
    const used = new Set([...JSON.stringify([type.template, type.subjectPolicy ?? null]).matchAll(/\bdata\.([A-Za-z0-9_]+)/g)].map((m) => m[1]));
    const declared = Object.keys(type.dataSchema.properties as object);
    expect([...used].filter((field) => !declared.includes(field))).toEqual([]);
    expect(((type.dataSchema.required ?? []) as string[]).filter((field) => !used.has(field))).toEqual([]);
    for (const [field, schema] of Object.entries(type.dataSchema.properties as Record<string, { description?: string }>)) {
      expect(schema.description, `${type.name}: ${field} has a description`).toBeTruthy();
    }
  });
});

describe('validateData', () => {
  const approval = BUILT_IN_EVENT_TYPES.find((t) => t.name === 'approval.created')!;
  const progress = BUILT_IN_EVENT_TYPES.find((t) => t.name === 'challenge.progress')!;

  it('refuses a missing required field by pointer, naming the near miss that was sent', () => {
    const error = refusal(() => validateData('approval.created', approval.dataSchema, { key: 'APR-1', action: 'Pay', requestor: 'Alice' }));
    expect(error.code).toBe('data_invalid');
    expect(error.message).toContain('/data/requester is required (you sent requestor: did you mean requester?)');
    expect(error.details).toMatchObject({ field: 'data', problems: [{ pointer: '/data/requester', suggestion: 'requester' }] });
  });

  it('refuses a mistyped field, saying what it must be', () => {
    const error = refusal(() => validateData('challenge.progress', progress.dataSchema, { participant: 'Sam', current: '3', target: 5 }));
    expect(error.message).toContain('/data/current must be a number, not text ("3")');
  });

  it('accepts fields it does not declare with a warning, naming a near miss', () => {
    const warnings = validateData('approval.created', approval.dataSchema, { key: 'APR-1', action: 'Pay', requester: 'Alice', reqester_id: 'U1', colour: 'red' });
    expect(warnings).toEqual([
      { code: 'unknown_field', pointer: '/data/reqester_id', message: expect.stringContaining('did you mean requester_id?'), suggestion: 'requester_id' },
      { code: 'unknown_field', pointer: '/data/colour', message: '/data/colour is not a declared field of approval.created (accepted as is)' },
    ]);
  });

  it('refuses unknown fields where the schema says so, nested ones too', () => {
    const schema = checkDataSchema({
      type: 'object',
      properties: { service: { type: 'string' }, owners: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false } } },
      additionalProperties: false,
    });
    const error = refusal(() => validateData('ops.release', schema, { servise: 'api', owners: [{ nmae: 'x' }] }));
    expect(error.message).toContain('/data/servise is not a field of ops.release: did you mean service?');
    expect(error.message).toContain('/data/owners/0/nmae is not a field of /data/owners/0: did you mean name?');
  });
});

describe('checkDataSchema', () => {
  it.each([
    [{ type: 'object', properties: { n: { type: 'numbr' } } }, '/properties/n/type: "numbr" is not a type: did you mean number?'],
    [{ type: 'object', properties: { n: { type: 'string', maxlength: 3 } } }, 'unknown keyword "maxlength": did you mean maxLength?'],
    [{ type: 'object', properties: { n: { type: 'string' } }, required: ['m'] }, 'names "m", which properties does not declare'],
    [{ type: 'object', properties: { n: { type: 'string' } }, required: ['N'] }, 'did you mean n?'],
    [{ type: 'object', properties: { n: { type: 'string', pattern: '^(a+)+$' } } }, 'regular expressions are not supported'],
    [{ type: 'object', properties: { n: { $ref: '#/x' } } }, 'references are not supported'],
    [{ type: 'array' }, 'data_schema/type: must be "object"'],
    [{ type: 'object', properties: { n: { type: 'string', minimum: 1 } } }, 'is not a valid JSON Schema'],
    [['not', 'an', 'object'], 'must be a JSON Schema object'],
  ])('%j → %s', (schema, message) => {
    const error = refusal(() => checkDataSchema(schema));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain(message);
  });

  it('accepts the supported subset', () => {
    const schema = {
      type: 'object',
      title: 'A release',
      properties: {
        service: { type: 'string', description: 'The service', minLength: 1, examples: ['checkout'] },
        level: { enum: ['minor', 'major'] },
        when: { type: 'string', format: 'date-time' },
        count: { type: ['integer', 'null'], minimum: 0 },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 10 },
        extra: { type: 'object', additionalProperties: { type: 'number' } },
      },
      required: ['service'],
      additionalProperties: false,
    };
    expect(checkDataSchema(schema)).toBe(schema);
  });
});

describe('sampleFromSchema', () => {
  it('makes data the schema accepts, from its examples where it has them', () => {
    const schema = checkDataSchema({
      type: 'object',
      properties: {
        service: { type: 'string', examples: ['checkout'] },
        count: { type: 'integer', minimum: 3 },
        level: { enum: ['minor', 'major'] },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
        ok: { type: 'boolean' },
      },
      required: ['service', 'count', 'level', 'tags', 'ok'],
      additionalProperties: false,
    }) as DataSchema;
    const sample = sampleFromSchema(schema);
    expect(sample).toEqual({ service: 'checkout', count: 3, level: 'minor', tags: ['sample tags', 'sample tags'], ok: true });
    expect(validateData('x.y', schema, sample)).toEqual([]);
  });
});
