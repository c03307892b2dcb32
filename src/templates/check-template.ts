/**
 * Validation of a template before it is stored (the API answers 4xx with these problems): shape,
 * Liquid syntax, unknown filters, directive shapes, and the Block Kit structure of everything that
 * does not depend on event data. For the structure, the template is expanded once with placeholders
 * in its dynamic strings ($each → one item, $if → its branches) and checked with validateBlocks;
 * problems that only data could cause (a dynamic string's content, list lengths, which rendering cuts
 * to fit) are not reported here.
 */
import { pointer } from '../slack/block-kit/problem-list.ts';
import { validateBlocks } from '../slack/block-kit/validate-blocks.ts';
import { compileTemplate, type CompiledNode } from './compile-template.ts';
import { loopProblem } from './loop-cost.ts';
import type { TemplateProblem } from './message-template.ts';

const PLACEHOLDER_URL = 'https://example.com/';
const PLACEHOLDER_TEXT = 'x';
// List lengths depend on data and renderMessage cuts lists to their limit, so they are not a template error.
const COUNT_PROBLEM = /^no more than \d+ items allowed$/;

/** Every problem in `template`, each with a JSON pointer into it; an empty list means it is usable. */
export function checkTemplate(template: unknown): TemplateProblem[] {
  const compiled = compileTemplate(template);
  if (compiled.problems.length > 0) return compiled.problems;
  const loops = loopProblems(compiled.text).concat(compiled.blocks ? loopProblems(compiled.blocks) : []);
  if (loops.length > 0 || compiled.blocks === undefined) return loops;
  const probe = new Probe();
  const blocks = probe.build(compiled.blocks, '/blocks');
  return validateBlocks(blocks, 'message')
    .filter((problem) => !COUNT_PROBLEM.test(problem.message) && !probe.isDynamic(problem.path))
    .map((problem) => ({ path: probe.templatePath(problem.path), message: problem.message }));
}

/** Builds the placeholder instance and remembers where each of its parts came from in the template. */
class Probe {
  private readonly origin = new Map<string, string>();
  private readonly dynamic = new Set<string>();

  build(node: CompiledNode, path: string): unknown {
    return this.value(node, path);
  }

  isDynamic(path: string): boolean {
    for (let current = path; current !== ''; current = parent(current)) {
      if (this.dynamic.has(current)) return true;
    }
    return false;
  }

  /** Maps a path in the probe to the template path it came from, keeping any deeper suffix. */
  templatePath(path: string): string {
    for (let current = path; current !== ''; current = parent(current)) {
      const origin = this.origin.get(current);
      if (origin !== undefined) return origin + path.slice(current.length);
    }
    return path;
  }

  private value(node: CompiledNode, path: string): unknown {
    this.origin.set(path, node.path);
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'liquid':
        this.dynamic.add(path);
        return /url$/.test(node.path) ? PLACEHOLDER_URL : PLACEHOLDER_TEXT;
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, child] of node.entries) {
          out[key] = this.value(child, pointer(path, key));
        }
        return out;
      }
      case 'array': {
        const out: unknown[] = [];
        for (const item of node.items) {
          // $each → one item; $if → each branch as its own element, so both get checked.
          const variants = item.kind === 'each' ? [item.template] : item.kind === 'if' ? [item.then, item.else] : [item];
          for (const variant of variants) {
            if (variant === undefined) continue;
            out.push(this.value(variant, pointer(path, out.length)));
          }
        }
        return out;
      }
      case 'if':
        return this.value(node.then, path);
      case 'each':
        return [this.value(node.template, pointer(path, 0))];
    }
  }
}

/** Loops that could only ever go over the render budget, per string (see loop-cost.ts). */
function loopProblems(node: CompiledNode): TemplateProblem[] {
  switch (node.kind) {
    case 'literal':
      return [];
    case 'liquid': {
      const problem = loopProblem(node.leaf.templates);
      return problem ? [{ path: node.path, message: problem }] : [];
    }
    case 'object':
      return node.entries.flatMap(([, child]) => loopProblems(child));
    case 'array':
      return node.items.flatMap(loopProblems);
    case 'each':
      return loopProblems(node.template);
    case 'if':
      return [...loopProblems(node.then), ...(node.else ? loopProblems(node.else) : [])];
  }
}

function parent(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}
