/**
 * An event type's data contract: a JSON Schema for the event's `data` (the fields, their types and
 * descriptions, which are required, and whether fields it does not declare are allowed). Built-in
 * types ship theirs; a project declares its own with PUT /v1/event-types/{name} (`data_schema`).
 *
 * Schemas are a subset of JSON Schema (draft-07), checked when saved with messages that say what
 * to fix, validated with Ajv, compiled once per schema and cached: ingest checks every event.
 * Fields that are not declared are accepted where the schema allows them, with a warning (and a
 * "did you mean …?" when one is a near miss of a declared field).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { closestMatch } from '../did-you-mean.ts';
import { ValidationError } from '../errors.ts';

/** A JSON Schema node of the supported subset (see SUPPORTED_KEYWORDS). */
export type JsonSchema = { [keyword: string]: unknown };
/** A data schema: a JSON Schema whose root is an object (an event's `data`). */
export type DataSchema = JsonSchema & { type: 'object' };

export const JSON_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;

/** The keywords a data schema may use; anything else is refused when the schema is saved. */
export const SUPPORTED_KEYWORDS = [
  // what it is (annotations: shown in the API and /docs; `format` is shown, not checked)
  'title', 'description', 'examples', 'default', 'deprecated', 'format', '$comment',
  // values
  'type', 'enum', 'const',
  // objects
  'properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties',
  // lists
  'items', 'minItems', 'maxItems', 'uniqueItems',
  // text
  'minLength', 'maxLength',
  // numbers
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
] as const;
const SUPPORTED = new Set<string>(SUPPORTED_KEYWORDS);
const COUNTS = new Set(['minProperties', 'maxProperties', 'minItems', 'maxItems', 'minLength', 'maxLength']);
const NUMBERS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']);
/** Why some well-known keywords are left out, for the message that refuses them. */
const LEFT_OUT: Record<string, string> = {
  pattern: 'regular expressions are not supported (a costly one would slow ingest for everyone): use enum, or a routing condition',
  patternProperties: 'regular expressions are not supported',
  $ref: 'references are not supported: write the schema out',
  $schema: 'data schemas are always this subset of draft-07: leave $schema out',
};

/** Largest data schema, as JSON, and how deep it may nest. */
export const MAX_DATA_SCHEMA_BYTES = 32 * 1024;
const MAX_DEPTH = 12;

export interface DataProblem {
  /** JSON pointer to the field, e.g. /data/requester. */
  pointer: string;
  message: string;
  /** The declared field a misspelt one probably meant. */
  suggestion?: string;
}

/** A field the schema does not declare, accepted because the schema allows such fields. */
export interface DataWarning {
  code: 'unknown_field';
  pointer: string;
  message: string;
  suggestion?: string;
}

// ---------------------------------------------------------------------------------------------
// Checking a schema someone saves

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function schemaError(field: string, path: string, message: string, suggestion?: string): never {
  throw new ValidationError(`${field}${path}: ${message}`, { field, pointer: `/${field}${path}`, ...(suggestion ? { suggestion } : {}) });
}

function checkNode(node: unknown, field: string, path: string, depth: number): void {
  if (!isPlainObject(node)) schemaError(field, path, 'must be a JSON Schema object such as {"type": "string", "description": "…"}');
  if (depth > MAX_DEPTH) schemaError(field, path, `nests more than ${MAX_DEPTH} levels`);
  for (const keyword of Object.keys(node)) {
    if (SUPPORTED.has(keyword)) continue;
    if (LEFT_OUT[keyword]) schemaError(field, `${path}/${escapePointer(keyword)}`, LEFT_OUT[keyword]);
    const near = closestMatch(keyword, SUPPORTED);
    schemaError(
      field,
      `${path}/${escapePointer(keyword)}`,
      near ? `unknown keyword "${keyword}": did you mean ${near}?` : `"${keyword}" is not a supported keyword (supported: ${SUPPORTED_KEYWORDS.join(', ')})`,
      near,
    );
  }
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  if (node.type !== undefined && types.length === 0) schemaError(field, `${path}/type`, 'must name at least one type');
  for (const t of types) {
    if (typeof t !== 'string' || !(JSON_TYPES as readonly string[]).includes(t)) {
      const near = typeof t === 'string' ? closestMatch(t, JSON_TYPES) : undefined;
      schemaError(field, `${path}/type`, `${JSON.stringify(t)} is not a type${near ? `: did you mean ${near}?` : ''} (types: ${JSON_TYPES.join(', ')})`, near);
    }
  }
  for (const keyword of ['title', 'description', '$comment', 'format'] as const) {
    if (node[keyword] !== undefined && typeof node[keyword] !== 'string') schemaError(field, `${path}/${keyword}`, 'must be text');
  }
  if (node.deprecated !== undefined && typeof node.deprecated !== 'boolean') schemaError(field, `${path}/deprecated`, 'must be true or false');
  if (node.examples !== undefined && !Array.isArray(node.examples)) schemaError(field, `${path}/examples`, 'must be a list of example values');
  if (node.enum !== undefined && (!Array.isArray(node.enum) || node.enum.length === 0)) schemaError(field, `${path}/enum`, 'must be a list of the allowed values');
  if (node.uniqueItems !== undefined && typeof node.uniqueItems !== 'boolean') schemaError(field, `${path}/uniqueItems`, 'must be true or false');
  for (const keyword of COUNTS) {
    const v = node[keyword];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) schemaError(field, `${path}/${keyword}`, 'must be a whole number, 0 or more');
  }
  for (const keyword of NUMBERS) {
    const v = node[keyword];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) schemaError(field, `${path}/${keyword}`, 'must be a number');
  }
  if (typeof node.multipleOf === 'number' && node.multipleOf <= 0) schemaError(field, `${path}/multipleOf`, 'must be more than 0');

  if (node.properties !== undefined) {
    if (!isPlainObject(node.properties)) schemaError(field, `${path}/properties`, 'must be an object: field name → schema');
    for (const [name, child] of Object.entries(node.properties)) {
      if (name === '__proto__' || name === '') schemaError(field, `${path}/properties`, `${JSON.stringify(name)} cannot be a field name`);
      checkNode(child, field, `${path}/properties/${escapePointer(name)}`, depth + 1);
    }
  }
  if (node.required !== undefined) {
    if (!Array.isArray(node.required) || node.required.some((r) => typeof r !== 'string') || new Set(node.required).size !== node.required.length) {
      schemaError(field, `${path}/required`, 'must be a list of distinct field names');
    }
    const declared = isPlainObject(node.properties) ? Object.keys(node.properties) : [];
    for (const name of node.required as string[]) {
      if (!declared.includes(name)) {
        const near = closestMatch(name, declared);
        schemaError(field, `${path}/required`, `names "${name}", which properties does not declare${near ? `: did you mean ${near}?` : ''}`, near);
      }
    }
  }
  if (node.additionalProperties !== undefined && typeof node.additionalProperties !== 'boolean') {
    checkNode(node.additionalProperties, field, `${path}/additionalProperties`, depth + 1);
  }
  if (node.items !== undefined) checkNode(node.items, field, `${path}/items`, depth + 1);
}

/**
 * Checks a data schema given through the API and returns it; throws a ValidationError naming the
 * JSON pointer of the first problem (with "did you mean …?" for a misspelt keyword or type).
 */
export function checkDataSchema(input: unknown, field = 'data_schema'): DataSchema {
  if (!isPlainObject(input)) schemaError(field, '', 'must be a JSON Schema object such as {"type": "object", "properties": {…}}');
  if (JSON.stringify(input).length > MAX_DATA_SCHEMA_BYTES) schemaError(field, '', `must be at most ${MAX_DATA_SCHEMA_BYTES} bytes as JSON`);
  if (input.type !== 'object') schemaError(field, '/type', 'must be "object": an event\'s data is a JSON object');
  checkNode(input, field, '', 0);
  try {
    compile(input as DataSchema);
  } catch (error) {
    schemaError(field, '', `is not a valid JSON Schema: ${(error as Error).message.replace(/^strict mode: /, '')}`);
  }
  return input as DataSchema;
}

// ---------------------------------------------------------------------------------------------
// Compiling (once per schema)

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, validateFormats: false, logger: false });

/** Compiled validators: by schema object (no work per event), and by schema text (new objects, same schema). */
const byObject = new WeakMap<object, ValidateFunction>();
const byText = new Map<string, { schema: object; validate: ValidateFunction }>();
const MAX_COMPILED = 2_000;

function compile(schema: DataSchema): ValidateFunction {
  const known = byObject.get(schema);
  if (known) return known;
  const text = JSON.stringify(schema);
  let entry = byText.get(text);
  if (entry) {
    byText.delete(text); // most recently used goes last
  } else {
    entry = { schema, validate: ajv.compile(schema) };
    if (byText.size >= MAX_COMPILED) {
      const [oldestText, oldest] = byText.entries().next().value as [string, { schema: object }];
      byText.delete(oldestText);
      ajv.removeSchema(oldest.schema);
    }
  }
  byText.set(text, entry);
  byObject.set(schema, entry.validate);
  return entry.validate;
}

// ---------------------------------------------------------------------------------------------
// Validating data

const typeWords: Record<string, string> = {
  object: 'an object', array: 'a list', string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'null',
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text (${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)})`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  return 'an object';
}

function valueAt(root: unknown, instancePath: string): unknown {
  let current = root;
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function schemaAt(schema: JsonSchema, schemaPath: string): JsonSchema | undefined {
  let current: unknown = schema;
  for (const part of schemaPath.replace(/^#/, '').split('/').slice(1)) {
    if (!isPlainObject(current)) return undefined;
    current = current[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isPlainObject(current) ? current : undefined;
}

function declaredFields(node: JsonSchema | undefined): string[] {
  return node && isPlainObject(node.properties) ? Object.keys(node.properties) : [];
}

function problemFor(error: ErrorObject, schema: DataSchema, data: unknown, root: string, typeName: string): DataProblem {
  const pointer = `${root}${error.instancePath}`;
  const value = valueAt(data, error.instancePath);
  const parentSchemaPath = error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/'));
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params.missingProperty);
      const declared = declaredFields(schemaAt(schema, parentSchemaPath));
      const sent = isPlainObject(value) ? Object.keys(value).filter((k) => !declared.includes(k)) : [];
      const typo = sent.find((k) => closestMatch(k, [missing]) === missing);
      return {
        pointer: `${pointer}/${escapePointer(missing)}`,
        message: `${pointer}/${escapePointer(missing)} is required${typo ? ` (you sent ${typo}: did you mean ${missing}?)` : ''}`,
        ...(typo ? { suggestion: missing } : {}),
      };
    }
    case 'additionalProperties': {
      const extra = String(error.params.additionalProperty);
      const declared = declaredFields(schemaAt(schema, parentSchemaPath));
      const near = closestMatch(extra, declared);
      const where = error.instancePath ? pointer : typeName;
      return {
        pointer: `${pointer}/${escapePointer(extra)}`,
        message: `${pointer}/${escapePointer(extra)} is not a field of ${where}${near ? `: did you mean ${near}?` : ` (its fields: ${declared.join(', ') || 'none'})`}`,
        ...(near ? { suggestion: near } : {}),
      };
    }
    case 'type': {
      const expected = String(error.params.type).split(',').map((t) => typeWords[t] ?? t).join(' or ');
      return { pointer, message: `${pointer} must be ${expected}, not ${describeValue(value)}` };
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]) ?? [];
      const near = typeof value === 'string' ? closestMatch(value, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
      return {
        pointer,
        message: `${pointer} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
        ...(near ? { suggestion: near } : {}),
      };
    }
    case 'const':
      return { pointer, message: `${pointer} must be ${JSON.stringify(error.params.allowedValue)}` };
    default:
      return { pointer, message: `${pointer} ${error.message ?? 'is invalid'}` };
  }
}

/** The declared field an unknown one is a near miss of, per properties object (hosts send the same fields again and again). */
const nearMisses = new WeakMap<object, Map<string, string | null>>();

function nearMissOf(key: string, properties: Record<string, JsonSchema>): string | undefined {
  let known = nearMisses.get(properties);
  if (!known) nearMisses.set(properties, (known = new Map()));
  let near = known.get(key);
  if (near === undefined) {
    near = closestMatch(key, Object.keys(properties)) ?? null;
    if (known.size < 1_000) known.set(key, near);
  }
  return near ?? undefined;
}

/** Fields the schema does not declare where it allows them: warnings, with near misses named. */
function collectUnknown(schema: JsonSchema, value: unknown, pointer: string, typeName: string, out: DataWarning[]): void {
  if (out.length >= 20) return;
  if (isPlainObject(value) && isPlainObject(schema.properties)) {
    const properties = schema.properties as Record<string, JsonSchema>;
    const open = schema.additionalProperties === undefined || schema.additionalProperties === true;
    for (const key of Object.keys(value)) {
      if (Object.prototype.hasOwnProperty.call(properties, key)) {
        collectUnknown(properties[key], value[key], `${pointer}/${escapePointer(key)}`, typeName, out);
      } else if (open && out.length < 20) {
        const near = nearMissOf(key, properties);
        const at = `${pointer}/${escapePointer(key)}`;
        out.push({
          code: 'unknown_field',
          pointer: at,
          message: near
            ? `${at} is not a field of ${typeName}: did you mean ${near}? (accepted as is)`
            : `${at} is not a declared field of ${typeName} (accepted as is)`,
          ...(near ? { suggestion: near } : {}),
        });
      }
    }
  } else if (Array.isArray(value) && isPlainObject(schema.items)) {
    const items = schema.items as JsonSchema;
    for (let i = 0; i < value.length && i < 100; i++) collectUnknown(items, value[i], `${pointer}/${i}`, typeName, out);
  }
}

/**
 * Checks an event's data against its type's schema. Throws a ValidationError (`data_invalid`, 422)
 * naming each missing, mistyped or (where not allowed) unknown field by JSON pointer; otherwise
 * returns warnings for fields the schema does not declare but allows.
 */
export function validateData(typeName: string, schema: DataSchema, data: unknown, root = '/data'): DataWarning[] {
  const validate = compile(schema);
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => problemFor(e, schema, data, root, typeName));
    const field = root.slice(1);
    throw new ValidationError(
      `${field} does not match the data schema of ${typeName}: ${problems.map((p) => p.message).join('; ')}`,
      { field, problems },
      'data_invalid',
    );
  }
  const warnings: DataWarning[] = [];
  collectUnknown(schema, data, root, typeName, warnings);
  return warnings;
}

// ---------------------------------------------------------------------------------------------
// Sample data

/** Example data that satisfies the schema: its examples and defaults, else a value of each declared type. */
export function sampleFromSchema(schema: JsonSchema, name = 'value'): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
      return Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, sampleFromSchema(child, key)]));
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const items = isPlainObject(schema.items) ? (schema.items as JsonSchema) : {};
      return Array.from({ length: count }, () => sampleFromSchema(items, name));
    }
    case 'string': {
      const text = `sample ${name.replace(/_/g, ' ')}`;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      return text.padEnd(min, '.').slice(0, max);
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      const n = type === 'integer' ? Math.ceil(min) : min;
      return typeof schema.maximum === 'number' && n > schema.maximum ? schema.maximum : n;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return null;
  }
}
