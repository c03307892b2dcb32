/**
 * Recursive-descent parser for routing conditions (grammar in docs/conditions.md). It validates
 * everything that can be known before an event arrives (fields, operators, value kinds, severity
 * names, nesting depth) so that evaluation never has to fail.
 *
 *   or      := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' or ')' | 'exists' '(' field ')' | field test
 *   test    := ('=='|'!='|'>'|'>='|'<'|'<=') value | 'in' list | 'contains' value | 'starts_with' string
 */
import {
  CONDITION_FIELDS,
  type ComparisonOperator,
  type ConditionFieldName,
  type ConditionNode,
  type FieldRef,
  type Literal,
} from './condition-ast.ts';
import { conditionError, tokenize, type Token } from './condition-lexer.ts';
import { isSeverity, SEVERITIES } from './severity.ts';
import { closestMatch } from '../did-you-mean.ts';

export const CONDITION_LIMITS = {
  /** Characters in one condition. */
  maxLength: 2_000,
  /** Parentheses and `not`s nested inside one another. */
  maxDepth: 32,
} as const;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'starts_with', 'exists', 'true', 'false', 'null']);
const ORDERED_OPERATORS = new Set<string>(['>', '>=', '<', '<=']);
const FIELD_LIST = 'type, severity, subject, key or data.<path>';
const SEVERITY_LIST = SEVERITIES.join(', ');

export function parseConditionSource(source: string): ConditionNode {
  if (typeof source !== 'string') throw conditionError('a condition must be a string', 1);
  if (source.length > CONDITION_LIMITS.maxLength) {
    throw conditionError(
      `a condition may be at most ${CONDITION_LIMITS.maxLength} characters long; this one has ${source.length}`,
      CONDITION_LIMITS.maxLength + 1,
    );
  }
  if (source.trim() === '') throw conditionError('the condition is empty', 1);
  return new Parser(tokenize(source)).parseAll();
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): ConditionNode {
    const root = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      if (next.text === ')') {
        throw conditionError(`unexpected ')' at column ${next.column}: there is no '(' for it to close`, next.column);
      }
      throw conditionError(
        `expected 'and', 'or' or the end of the condition at column ${next.column}, ${found(next)}${caseHint(next)}`,
        next.column,
      );
    }
    return root;
  }

  private parseOr(): ConditionNode {
    const operands = [this.parseAnd()];
    while (this.isWord('or')) {
      this.advance();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0] : freeze({ kind: 'or', operands: Object.freeze(operands) });
  }

  private parseAnd(): ConditionNode {
    const operands = [this.parseUnary()];
    while (this.isWord('and')) {
      this.advance();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0] : freeze({ kind: 'and', operands: Object.freeze(operands) });
  }

  private parseUnary(): ConditionNode {
    if (!this.isWord('not')) return this.parsePrimary();
    const notToken = this.advance();
    this.enter(notToken);
    const operand = this.parseUnary();
    this.depth -= 1;
    return freeze({ kind: 'not', operand });
  }

  private parsePrimary(): ConditionNode {
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '(') {
      this.advance();
      this.enter(token);
      const inner = this.parseOr();
      this.expectPunct(')', `to close the '(' at column ${token.column}`);
      this.depth -= 1;
      return inner;
    }
    if (this.isWord('exists')) {
      this.advance();
      this.expectPunct('(', "after 'exists', as in exists(data.runbook_url)");
      const field = this.parseField();
      this.expectPunct(')', `to close exists(${field.text}`);
      return freeze({ kind: 'exists', field });
    }
    const field = this.parseField();
    return this.parseTest(field);
  }

  private parseTest(field: FieldRef): ConditionNode {
    const token = this.peek();
    if (token.kind === 'operator') {
      this.advance();
      const op = token.text as ComparisonOperator;
      const value = this.parseValue(field, token);
      if (ORDERED_OPERATORS.has(op) && (value.kind === 'boolean' || value.kind === 'null')) {
        throw conditionError(
          `'${op}' orders numbers, text or severities; it cannot compare with ${String(value.value)} (column ${token.column})`,
          token.column,
        );
      }
      return freeze({ kind: 'compare', field, op, value });
    }
    if (token.kind === 'word' && token.text === 'in') {
      this.advance();
      return freeze({ kind: 'in', field, values: this.parseList(field, token) });
    }
    if (token.kind === 'word' && (token.text === 'contains' || token.text === 'starts_with')) {
      this.advance();
      if (field.name === 'severity') {
        throw conditionError(
          `'${token.text}' applies to text and lists; compare severity with ==, in or >= (column ${token.column})`,
          token.column,
        );
      }
      if (token.text === 'contains') return freeze({ kind: 'contains', field, value: this.parseValue(field, token) });
      const next = this.peek();
      if (next.kind !== 'string') {
        throw conditionError(
          `expected a "quoted string" after 'starts_with' at column ${next.column}, ${found(next)}`,
          next.column,
        );
      }
      this.advance();
      return freeze({ kind: 'starts_with', field, prefix: next.value as string });
    }
    throw conditionError(
      `expected an operator (==, !=, >, >=, <, <=, in, contains, starts_with) after '${field.text}' at column ${token.column}, ${found(token)}${caseHint(token)}`,
      token.column,
    );
  }

  private parseField(): FieldRef {
    const token = this.peek();
    const name = token.text;
    if (token.kind !== 'word' || !(CONDITION_FIELDS as readonly string[]).includes(name)) {
      const guess = token.kind === 'word' && !KEYWORDS.has(name) && !isSeverity(name) ? ` (did you mean data.${name}?)` : '';
      throw conditionError(`expected a field (${FIELD_LIST}) at column ${token.column}, ${found(token)}${guess}`, token.column);
    }
    this.advance();
    const path: string[] = [];
    let text = name;
    while (this.isPunct('.') || this.isPunct('[')) {
      const punct = this.advance();
      if (name !== 'data') {
        throw conditionError(`'${name}' has no keys; only data.<path> does (column ${punct.column})`, punct.column);
      }
      if (punct.text === '.') {
        const key = this.peek();
        if (key.kind !== 'key') {
          throw conditionError(`expected a key after '.' at column ${key.column}, ${found(key)}`, key.column);
        }
        this.advance();
        path.push(key.text);
        text += `.${key.text}`;
      } else {
        const key = this.peek();
        const isIndex = key.kind === 'number' && /^(0|[1-9][0-9]*)$/.test(key.text);
        if (key.kind !== 'string' && !isIndex) {
          throw conditionError(
            `expected a "quoted key" or a list index after '[' at column ${key.column}, ${found(key)}`,
            key.column,
          );
        }
        this.advance();
        this.expectPunct(']', `to close the '[' at column ${punct.column}`);
        path.push(isIndex ? key.text : (key.value as string));
        text += `[${key.text}]`;
      }
    }
    if (name === 'data' && path.length === 0) {
      throw conditionError(
        `expected '.' and a key after 'data' at column ${this.peek().column}, as in data.amount`,
        this.peek().column,
      );
    }
    return freeze({ name: name as ConditionFieldName, path: Object.freeze(path), text });
  }

  private parseList(field: FieldRef, inToken: Token): readonly Literal[] {
    const open = this.peek();
    if (!(open.kind === 'punct' && open.text === '[')) {
      throw conditionError(
        `expected a list like ["prod", "staging"] after 'in' at column ${open.column}, ${found(open)}`,
        open.column,
      );
    }
    this.advance();
    if (this.isPunct(']')) {
      throw conditionError(`the list after 'in' at column ${open.column} is empty`, open.column);
    }
    const values: Literal[] = [];
    for (;;) {
      values.push(this.parseValue(field, values.length === 0 ? inToken : this.tokens[this.position - 1]));
      const next = this.peek();
      if (next.kind === 'punct' && next.text === ',') {
        this.advance();
        continue;
      }
      if (next.kind === 'punct' && next.text === ']') {
        this.advance();
        return Object.freeze(values);
      }
      throw conditionError(
        `expected ',' or ']' in the list opened at column ${open.column}, at column ${next.column}, ${found(next)}`,
        next.column,
      );
    }
  }

  /** A literal for `field`; `after` is the token it follows, named in messages. */
  private parseValue(field: FieldRef, after: Token): Literal {
    const token = this.peek();
    const isSeverityField = field.name === 'severity';
    const where = `after '${after.text}' at column ${token.column}`;
    if (token.kind === 'string' || (token.kind === 'word' && isSeverity(token.text))) {
      const text = token.kind === 'string' ? (token.value as string) : token.text;
      if (isSeverityField) {
        if (!isSeverity(text)) throw unknownSeverity(token);
        this.advance();
        return freeze({ kind: 'severity', value: text });
      }
      if (token.kind === 'word') {
        throw conditionError(
          `'${token.text}' is a severity and only compares with severity; to compare ${field.text} with text write "${token.text}" (column ${token.column})`,
          token.column,
        );
      }
      this.advance();
      return freeze({ kind: 'string', value: text });
    }
    if (isSeverityField && (token.kind === 'number' || ['true', 'false', 'null'].includes(token.text))) {
      throw conditionError(`severity compares with one of ${SEVERITY_LIST}, not ${token.text} (column ${token.column})`, token.column);
    }
    if (token.kind === 'number') {
      this.advance();
      return freeze({ kind: 'number', value: token.value as number });
    }
    if (token.kind === 'word' && (token.text === 'true' || token.text === 'false')) {
      this.advance();
      return freeze({ kind: 'boolean', value: token.text === 'true' });
    }
    if (token.kind === 'word' && token.text === 'null') {
      this.advance();
      return freeze({ kind: 'null', value: null });
    }
    if (isSeverityField && token.kind === 'word' && !KEYWORDS.has(token.text) && !(CONDITION_FIELDS as readonly string[]).includes(token.text)) {
      throw unknownSeverity(token);
    }
    if (token.kind === 'word' && !KEYWORDS.has(token.text)) {
      const hint = (CONDITION_FIELDS as readonly string[]).includes(token.text)
        ? ' (a field can only be compared with a value, not with another field)'
        : ` (write text in double quotes: "${token.text}")`;
      throw conditionError(`expected a value ${where}, ${found(token)}${hint}`, token.column);
    }
    throw conditionError(`expected a value ${where}, ${found(token)}`, token.column);
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > CONDITION_LIMITS.maxDepth) {
      throw conditionError(
        `the condition nests more than ${CONDITION_LIMITS.maxDepth} levels of parentheses and 'not' (column ${token.column})`,
        token.column,
      );
    }
  }

  private expectPunct(text: string, purpose: string): void {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) {
      throw conditionError(`expected '${text}' at column ${token.column} ${purpose}, ${found(token)}`, token.column);
    }
    this.advance();
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private advance(): Token {
    const token = this.tokens[this.position];
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text === text;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }
}

/** `severity >= hgh`: names the severity it probably meant. */
function unknownSeverity(token: Token): Error {
  const text = token.kind === 'string' ? (token.value as string) : token.text;
  const near = closestMatch(text, SEVERITIES);
  return conditionError(
    `unknown severity ${token.text} at column ${token.column}${near ? `: did you mean ${near}?` : ''} (severities: ${SEVERITY_LIST})`,
    token.column,
  );
}

function found(token: Token): string {
  if (token.kind === 'end') return 'but the condition ends there';
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return `found ${token.kind === 'string' ? text : `'${text}'`}`;
}

/** `AND`, `Or`, `NOT`... are not keywords; say so instead of only "unexpected". */
function caseHint(token: Token): string {
  const lower = token.text.toLowerCase();
  if (token.kind === 'word' && lower !== token.text && KEYWORDS.has(lower)) return ` (keywords are lower-case: '${lower}')`;
  return '';
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value);
}
