/**
 * Text the database cannot store, refused at the edge with a 400 naming where it is: PostgreSQL
 * refuses U+0000 in text and jsonb and unpaired UTF-16 surrogates in jsonb, so such a string would
 * otherwise fail deep inside a write (a 500 that retrying can never fix). `__proto__` keys are
 * refused too: JSON.parse keeps them as own properties, but every object copy after it (validation
 * included) would silently drop them, and data would be lost without a word.
 */
import { unstorableIn } from '../db/storable-text.ts';
import { ValidationError } from '../errors.ts';

export interface UnstorableText {
  /** JSON pointer of the value or key (RFC 6901), e.g. /data/items/3/name. */
  path: string;
  problem: string;
}

/** Deepest nesting of objects and arrays accepted anywhere in a body (nothing real comes close). */
export const MAX_DEPTH = 100;

/** The first place in a parsed JSON value that cannot be stored, or null. */
export function findUnstorable(value: unknown, path = ''): UnstorableText | null {
  return walk(value, path, 0);
}

function walk(value: unknown, path: string, depth: number): UnstorableText | null {
  if (typeof value === 'string') return textProblem(value, path);
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_DEPTH) return { path, problem: `is nested more than ${MAX_DEPTH} levels deep: flatten it` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${path}/${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === '__proto__') return { path: at, problem: 'the key "__proto__" is not allowed (it would be dropped): rename it' };
    const keyProblem = textProblem(key, at);
    if (keyProblem) return { path: keyProblem.path, problem: `its key ${keyProblem.problem}` };
    const found = walk((value as Record<string, unknown>)[key], at, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A problem with one string, or null. */
export function textProblem(text: string, path: string): UnstorableText | null {
  const kind = unstorableIn(text);
  if (kind === 'nul') return { path, problem: 'contains a NUL character (\\u0000), which cannot be stored: remove it' };
  if (kind === 'surrogate') return { path, problem: 'contains an unpaired UTF-16 surrogate (such as \\ud800), which is not valid Unicode: send the whole character or remove it' };
  return null;
}

/** The ValidationError for a found problem; `what` names the part of the request ("body", "query parameter cursor"). */
export function unstorableError(found: UnstorableText, what: string): ValidationError {
  const where = found.path ? `${what} at ${found.path}` : what;
  return new ValidationError(`The ${where} ${found.problem}`, { field: found.path || what, issues: [{ path: found.path, message: found.problem }] });
}
