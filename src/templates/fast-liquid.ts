/**
 * A fast renderer for the common shapes of template strings, built from liquidjs's own parse tree.
 * liquidjs renders through layers of generators and a fresh Context per call, a few microseconds per
 * string; a message has a dozen strings and ingest renders thousands of messages a second. Text,
 * `{{ value | filters }}`, `{% if %}` / `{% elsif %}` / `{% else %}` and `{% assign %}` with plain
 * variables and literals are compiled here into closures that call the same filter functions,
 * property reads, operators and truthiness as liquidjs. Anything else (loops, captures, ranges,
 * nested expressions) returns null and is rendered by liquidjs itself. render-tree's tests compare
 * both paths on the same templates and data.
 */
import { AssignTag, Context, IfTag, Output, TokenKind, TypeGuards, isTruthy, toValue, toValueSync, type Liquid, type Template } from 'liquidjs';
import { liquidString } from './mrkdwn-escape.ts';

/** Renders one compiled string in a context; `locals` holds what `{% assign %}` set in this string. */
type Piece = (ctx: Context, locals: Locals) => string;
type Evaluate = (ctx: Context, locals: Locals) => unknown;
type Locals = Record<string, unknown>;
export type FastTemplate = (ctx: Context) => string;

interface TokenLike {
  kind: number;
  content?: unknown;
  props?: TokenLike[];
  variable?: unknown;
  operator?: string;
}
interface ValueLike {
  initial: { postfix: TokenLike[] };
  filters: Array<{ handler: (...args: unknown[]) => unknown; args: unknown[]; token: unknown; liquid: Liquid }>;
}
interface ContextInternals {
  findScope(key: string): object;
}

/** Compiles parsed templates, or returns null when they use something only liquidjs renders. */
export function compileFast(templates: Template[]): FastTemplate | null {
  const pieces = compileList(templates);
  if (pieces === null) return null;
  return (ctx) => {
    const locals: Locals = Object.create(null);
    let out = '';
    for (const piece of pieces) out += piece(ctx, locals);
    return out;
  };
}

function compileList(templates: Template[]): Piece[] | null {
  const pieces: Piece[] = [];
  for (const template of templates) {
    const piece = compileNode(template);
    if (piece === null) return null;
    pieces.push(piece);
  }
  return pieces;
}

function compileNode(template: Template): Piece | null {
  const node = template as unknown as { token: { kind: number }; str?: string };
  if (node.token.kind === TokenKind.HTML && typeof node.str === 'string') {
    const text = node.str;
    return () => text;
  }
  if (template instanceof Output) {
    const value = compileValue((template as unknown as { value: ValueLike }).value);
    // Output writes toValue(result), stringified like liquidjs's emitter.
    return value && ((ctx, locals) => liquidString(toValue(value(ctx, locals))));
  }
  if (template instanceof AssignTag) {
    const tag = template as unknown as { key: string; value: ValueLike };
    const value = compileValue(tag.value);
    if (value === null) return null;
    return (ctx, locals) => {
      locals[tag.key] = value(ctx, locals);
      return '';
    };
  }
  if (template instanceof IfTag) return compileIf(template as unknown as IfLike);
  return null;
}

interface IfLike {
  branches: Array<{ value: ValueLike; templates: Template[] }>;
  elseTemplates?: Template[];
}

function compileIf(tag: IfLike): Piece | null {
  const branches: Array<{ test: Evaluate; body: Piece[] }> = [];
  for (const branch of tag.branches) {
    const test = compileValue(branch.value);
    const body = compileList(branch.templates);
    if (test === null || body === null) return null;
    branches.push({ test, body });
  }
  const otherwise = compileList(tag.elseTemplates ?? []);
  if (otherwise === null) return null;
  const run = (body: Piece[], ctx: Context, locals: Locals) => {
    let out = '';
    for (const piece of body) out += piece(ctx, locals);
    return out;
  };
  return (ctx, locals) => {
    for (const branch of branches) {
      if (isTruthy(toValue(branch.test(ctx, locals)), ctx)) return run(branch.body, ctx, locals);
    }
    return run(otherwise, ctx, locals);
  };
}

/** A filtered value: the expression, then each filter's handler with its evaluated arguments. */
function compileValue(value: ValueLike): Evaluate | null {
  const initial = compileExpression(value.initial.postfix);
  if (initial === null) return null;
  const filters: Array<{ call: (ctx: Context, locals: Locals, input: unknown) => unknown }> = [];
  for (const filter of value.filters) {
    const args: Evaluate[] = [];
    for (const arg of filter.args) {
      if (Array.isArray(arg)) return null; // key: value arguments
      const operand = compileOperand(arg as TokenLike);
      if (operand === null) return null;
      args.push(operand);
    }
    const { handler, token, liquid } = filter;
    filters.push({
      call(ctx, locals, input) {
        const argv = args.map((arg) => arg(ctx, locals));
        return settle(handler.apply({ context: ctx, token, liquid }, [input, ...argv]));
      },
    });
  }
  if (filters.length === 0) return initial;
  return (ctx, locals) => {
    let current = initial(ctx, locals);
    for (const filter of filters) current = filter.call(ctx, locals, current);
    return current;
  };
}

/** Postfix expression of operands and operators (==, contains, and, not...), as liquidjs evaluates it. */
function compileExpression(postfix: TokenLike[]): Evaluate | null {
  if (postfix.length === 1) return compileOperand(postfix[0]);
  const steps: Array<{ operand?: Evaluate; operator?: string }> = [];
  for (const token of postfix) {
    if (TypeGuards.isOperatorToken(token as never)) {
      steps.push({ operator: token.operator });
      continue;
    }
    const operand = compileOperand(token);
    if (operand === null) return null;
    steps.push({ operand });
  }
  return (ctx, locals) => {
    const stack: unknown[] = [];
    for (const step of steps) {
      if (step.operand) {
        stack.push(step.operand(ctx, locals));
        continue;
      }
      const operator = ctx.opts.operators[step.operator as string] as (...args: unknown[]) => unknown;
      const right = stack.pop();
      const result = step.operator === 'not' ? operator(right, ctx) : operator(stack.pop(), right, ctx);
      stack.push(settle(result));
    }
    return stack[0];
  };
}

/** A literal (string, number, true/false/nil/empty/blank) or a variable path of plain names and indexes. */
function compileOperand(token: TokenLike): Evaluate | null {
  if (TypeGuards.isPropertyAccessToken(token as never)) {
    if (token.variable !== undefined && token.variable !== null) return null;
    const props = token.props ?? [];
    if (props.length === 0 || !props.every((prop) => 'content' in prop && !TypeGuards.isPropertyAccessToken(prop as never))) return null;
    const keys = props.map((prop) => prop.content as string | number);
    const root = String(keys[0]);
    return (ctx, locals) => {
      let current: unknown = root in locals ? locals : (ctx as unknown as ContextInternals).findScope(root);
      for (const key of keys) current = settle(ctx.readProperty(current as never, key));
      return current;
    };
  }
  if (TypeGuards.isRangeToken(token as never) || TypeGuards.isFilteredValueToken(token as never)) return null;
  if ('content' in token) {
    const content = token.content;
    return () => content;
  }
  return null;
}

/** Filters and operators may be generator functions (liquidjs drives them); run those to their value. */
function settle(result: unknown): unknown {
  return result !== null && typeof result === 'object' && typeof (result as { next?: unknown }).next === 'function'
    ? toValueSync(result as never)
    : result;
}
