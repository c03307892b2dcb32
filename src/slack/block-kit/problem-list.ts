/**
 * The problems a Block Kit payload can have, collected with JSON-pointer paths and worded the way
 * Slack words them in `response_metadata.messages`, e.g.
 * "[ERROR] unsupported type: sections [json-pointer:/blocks/0/type]" [NODE WebClient.test.ts].
 * The small typed checks here are what every block, element and composition validator is built from.
 */
import { charCount } from './limits.ts';

export interface BlockKitProblem {
  /** JSON pointer to the offending value, e.g. /blocks/0/text/text. */
  path: string;
  /** Slack-like wording, e.g. "must be less than 3001 characters". */
  message: string;
}

export type JsonObject = Record<string, unknown>;

/** Appends a key or index to a JSON pointer, escaping "~" and "/" as RFC 6901 requires. */
export function pointer(path: string, key: string | number): string {
  const token = String(key).replace(/~/g, '~0').replace(/\//g, '~1');
  return `${path}/${token}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface LengthRule {
  required?: boolean;
  /** Minimum characters (inclusive). */
  min?: number;
  /** Maximum characters (inclusive). */
  max?: number;
}

interface CountRule {
  required?: boolean;
  min?: number;
  max?: number;
}

export class ProblemList {
  readonly problems: BlockKitProblem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Reports a value that is not an object; returns it typed when it is one. */
  object(value: unknown, path: string): JsonObject | undefined {
    if (isObject(value)) return value;
    this.add(path, 'must provide an object');
    return undefined;
  }

  /** Reports a missing field on `owner` (at the owner's path, as Slack does). */
  missing(ownerPath: string, field: string): void {
    this.add(ownerPath, `missing required field: ${field}`);
  }

  /** Checks owner[field] is a string within the given character bounds. */
  string(owner: JsonObject, field: string, ownerPath: string, rule: LengthRule = {}): string | undefined {
    const value = owner[field];
    const path = pointer(ownerPath, field);
    if (value === undefined || value === null) {
      if (rule.required) this.missing(ownerPath, field);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(path, 'must provide a string');
      return undefined;
    }
    this.length(value, path, rule);
    return value;
  }

  /** Character bounds, worded as Slack words them ("must be less than 3001 characters"). */
  length(value: string, path: string, rule: LengthRule): void {
    const count = charCount(value);
    if (rule.min !== undefined && count < rule.min) {
      this.add(path, `must be more than ${rule.min - 1} characters`);
    }
    if (rule.max !== undefined && count > rule.max) {
      this.add(path, `must be less than ${rule.max + 1} characters`);
    }
  }

  boolean(owner: JsonObject, field: string, ownerPath: string): boolean | undefined {
    const value = owner[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.add(pointer(ownerPath, field), 'must provide a boolean');
      return undefined;
    }
    return value;
  }

  integer(owner: JsonObject, field: string, ownerPath: string, bounds: { min?: number; max?: number } = {}): number | undefined {
    const value = owner[field];
    if (value === undefined) return undefined;
    const path = pointer(ownerPath, field);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(path, 'must provide an integer');
      return undefined;
    }
    if (bounds.min !== undefined && value < bounds.min) this.add(path, `must be at least ${bounds.min}`);
    if (bounds.max !== undefined && value > bounds.max) this.add(path, `must be at most ${bounds.max}`);
    return value;
  }

  /** owner[field] must be one of `allowed`; Slack says "must be a valid enum value". */
  enumValue<T extends string>(owner: JsonObject, field: string, ownerPath: string, allowed: readonly T[], required = false): T | undefined {
    const value = owner[field];
    if (value === undefined || value === null) {
      if (required) this.missing(ownerPath, field);
      return undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.add(pointer(ownerPath, field), 'must be a valid enum value');
      return undefined;
    }
    return value as T;
  }

  /** owner[field] must be an array with a bounded number of items. */
  array(owner: JsonObject, field: string, ownerPath: string, rule: CountRule = {}): unknown[] | undefined {
    const value = owner[field];
    const path = pointer(ownerPath, field);
    if (value === undefined || value === null) {
      if (rule.required) this.missing(ownerPath, field);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(path, 'must provide an array');
      return undefined;
    }
    this.count(value, path, rule);
    return value;
  }

  /** Item-count bounds, worded as Slack words them ("no more than 50 items allowed"). */
  count(items: unknown[], path: string, rule: CountRule): void {
    if (rule.min !== undefined && items.length < rule.min) {
      this.add(path, `must provide at least ${rule.min} item${rule.min === 1 ? '' : 's'}`);
    }
    if (rule.max !== undefined && items.length > rule.max) {
      this.add(path, `no more than ${rule.max} items allowed`);
    }
  }
}
