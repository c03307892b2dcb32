/**
 * Typed reading of Web API arguments. Arguments arrive as JSON values or, from form-encoded
 * bodies, as strings ("blocks/attachments then as JSON-encoded strings" [D-POST]); these getters
 * accept both.
 */
import { invalidArguments } from './slack-api-error.ts';

export type JsonParse = { ok: true; value: unknown } | { ok: false };

export class ApiArgs {
  constructor(readonly raw: Record<string, unknown>) {}

  has(name: string): boolean {
    const v = this.raw[name];
    return v !== undefined && v !== null && v !== '';
  }

  /** A string argument; numbers are accepted as their text. Empty strings count as absent. */
  string(name: string): string | undefined {
    const v = this.raw[name];
    if (typeof v === 'string') return v === '' ? undefined : v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return undefined;
  }

  /** A required string; its absence is Slack's invalid_arguments "missing required field". */
  requireString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw invalidArguments(`missing required field: ${name}`);
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (v === true || v === 1 || v === 'true' || v === '1') return true;
    if (v === false || v === 0 || v === 'false' || v === '0') return false;
    return undefined;
  }

  /** An integer, or NaN when present but not a whole number; undefined when absent. */
  int(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    return Number.isInteger(n) ? n : Number.NaN;
  }

  /** A JSON argument given as a value or as JSON-encoded text. */
  json(name: string): JsonParse | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return { ok: true, value: v };
    try {
      return { ok: true, value: JSON.parse(v) };
    } catch {
      return { ok: false };
    }
  }

  /** A comma-separated list ("a,b" or ["a","b"]). */
  list(name: string): string[] | undefined {
    const v = this.raw[name];
    if (Array.isArray(v)) return v.map(String).filter(Boolean);
    const s = this.string(name);
    return s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean);
  }
}
