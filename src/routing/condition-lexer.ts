/**
 * Splits a condition's source into tokens, each with the 1-based column where it starts, so every
 * error can point at the place to fix. Knows nothing about grammar beyond one rule: right after a
 * `.` comes a key (`data.2fa`, `data.runbook-url`), never a number or keyword.
 */
import { ValidationError } from '../errors.ts';

export const TOKEN_KINDS = ['word', 'key', 'string', 'number', 'operator', 'punct', 'end'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for strings: with quotes and escapes as written). */
  readonly text: string;
  /** The decoded value of a string or number token. */
  readonly value?: string | number;
  /** 1-based column of the token's first character. */
  readonly column: number;
}

export function conditionError(message: string, column: number): ValidationError {
  return new ValidationError(message, { column }, 'condition_invalid');
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const KEY_PART = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};
/** Characters people reach for from other languages, and what to write instead. */
const HINTS: Readonly<Record<string, string>> = {
  '&': "write 'and' instead of '&&'",
  '|': "write 'or' instead of '||'",
  '!': "write 'not' or '!='",
  '=': "write '==' to compare",
  "'": 'strings use double quotes, as in "prod"',
};

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i += 1;
      continue;
    }
    const start = i;
    const column = start + 1;
    const previous = tokens[tokens.length - 1];
    if (previous?.kind === 'punct' && previous.text === '.' && KEY_PART.test(ch)) {
      while (i < source.length && KEY_PART.test(source[i])) i += 1;
      tokens.push({ kind: 'key', text: source.slice(start, i), column });
      continue;
    }
    if (WORD_START.test(ch)) {
      while (i < source.length && WORD_PART.test(source[i])) i += 1;
      tokens.push({ kind: 'word', text: source.slice(start, i), column });
      continue;
    }
    if (DIGIT.test(ch) || (ch === '-' && DIGIT.test(source[i + 1] ?? ''))) {
      const match = NUMBER.exec(source.slice(i, i + 400));
      const text = match?.[0] ?? ch;
      const value = Number(text);
      if (!match || !Number.isFinite(value)) throw conditionError(`'${text}' is not a number at column ${column}`, column);
      i += text.length;
      tokens.push({ kind: 'number', text, value, column });
      continue;
    }
    if (ch === '"') {
      const { value, end } = readString(source, start);
      i = end;
      tokens.push({ kind: 'string', text: source.slice(start, end), value, column });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '>=' || two === '<=') {
      i += 2;
      tokens.push({ kind: 'operator', text: two, column });
      continue;
    }
    if (ch === '>' || ch === '<') {
      i += 1;
      tokens.push({ kind: 'operator', text: ch, column });
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',' || ch === '.') {
      i += 1;
      tokens.push({ kind: 'punct', text: ch, column });
      continue;
    }
    const hint = HINTS[ch];
    const whole = String.fromCodePoint(source.codePointAt(i) ?? 0);
    throw conditionError(
      `unexpected character ${describeChar(whole)} at column ${column}${hint ? ` (${hint})` : ''}`,
      column,
    );
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}

function readString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '"') return { value, end: i + 1 };
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === 'u') {
        const hex = source.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
          throw conditionError(`'\\u' must be followed by 4 hex digits at column ${i + 1}`, i + 1);
        }
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const decoded = next === undefined ? undefined : ESCAPES[next];
      if (decoded === undefined) {
        throw conditionError(
          `unknown escape '\\${next ?? ''}' in a string at column ${i + 1} (use \\" \\\\ \\n \\t \\r or \\uXXXX)`,
          i + 1,
        );
      }
      value += decoded;
      i += 2;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      throw conditionError(`a string may not span lines (column ${i + 1}); write \\n instead`, i + 1);
    }
    value += ch;
    i += 1;
  }
  throw conditionError(`the string starting at column ${start + 1} has no closing '"'`, start + 1);
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch === "'" ? `"'"` : `'${ch}'`;
}
