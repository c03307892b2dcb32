import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_EVENT_TYPES } from '../event-types/built-in-event-types.ts';
import { compileTemplate, type CompiledNode } from './compile-template.ts';
import { LeafScope, parseLeaf, renderLeaf, renderLeafWithLiquidjs, type ParsedLeaf } from './template-engine.ts';
import type { LeafMode } from './template-filters.ts';
import { RenderBudget } from './render-budget.ts';

/** These tests render every string of every template on one scope: the message budget is not what they test. */
const unbounded = () => new RenderBudget({ timeMs: 600_000, steps: 1e9, memory: 1e9 });

interface Leaf {
  source: string;
  mode: LeafMode;
  leaf: ParsedLeaf;
}

function leavesOf(node: CompiledNode | undefined, out: Leaf[] = []): Leaf[] {
  if (!node) return out;
  switch (node.kind) {
    case 'liquid':
      out.push({ source: node.source, mode: node.mode, leaf: node.leaf });
      break;
    case 'object':
      for (const [, child] of node.entries) leavesOf(child, out);
      break;
    case 'array':
      for (const item of node.items) leavesOf(item, out);
      break;
    case 'each':
      leavesOf(node.template, out);
      break;
    case 'if':
      leavesOf(node.then, out);
      leavesOf(node.else, out);
      break;
  }
  return out;
}

const builtInLeaves = BUILT_IN_EVENT_TYPES.flatMap((definition) => {
  const compiled = compileTemplate(definition.template);
  return [...leavesOf(compiled.text), ...leavesOf(compiled.blocks)];
});

/** Shapes the fast path compiles, each exercised against liquidjs in both modes. */
const handWritten = [
  'Hello {{ data.name }}!',
  '{{ data.a }}{{ data.b }}{{ data.missing.deeper }}',
  '{{ data.list }} {{ data.list.size }} {{ data.list.first }} {{ data.list.last }} {{ data.list[-1] }} {{ data.list[0] }}',
  '{{ data.obj }} {{ data.obj.size }} {{ data["a"] }} {{ data.n }} {{ data.flag }} {{ data.nothing }}',
  '{{ data.name | upcase | append: data.a }} {{ data.name | default: "anon" }} {{ data.n | plus: 2 }}',
  '{{ data.name | truncate: 4 }} {{ data.name | truncate: 6, "" }} {{ data.list | join: ", " }} {{ data.list | size }}',
  '{{ data.url | mrkdwn_link: data.name }} {{ data.name | user_mention }} {{ data.name | raw_mrkdwn }} {{ data.n | plural: "item" }}',
  '{{ event.occurred_at | date: "%Y-%m-%d" }} {{ event.occurred_at | slack_date }} {{ event.severity | severity_emoji }}',
  '{% if data.flag %}yes{% elsif data.n > 3 %}big{% elsif data.name == "x" %}x{% else %}no{% endif %}',
  '{% if data.a and data.b or data.flag %}A{% endif %}{% if data.list contains "x" %}C{% endif %}{% if data.name != nil %}N{% endif %}',
  '{% if data.list == empty %}E{% endif %}{% if data.name == blank %}B{% endif %}{% if data.n >= 1 and data.n <= 9 %}R{% endif %}',
  '{% assign who = data.name | default: "someone" %}{{ who }} / {{ who | upcase }}',
  '{% if data.obj %}{% if data.obj.a %}{{ data.obj.a }}{% else %}-{% endif %}{% endif %}',
  '{{ project.name }} {{ event.type }} {{ constructor }} {{ data.constructor }} {{ data.hasOwnProperty }}',
];
const handWrittenLeaves: Leaf[] = handWritten.flatMap((source) =>
  (['mrkdwn', 'plain'] as const).map((mode) => ({ source, mode, leaf: parseLeaf(source, mode) })),
);

const value = fc.oneof(
  fc.constantFrom('x', '', ' ', '<!channel>', 'a & b', 'https://example.com/?a=1&b=2', 'U0123ABCD', '2026-01-06T09:15:00Z', '@here'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 20 }),
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom('x', 'y', 1, null), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('a', 'b', 'size'), fc.constantFrom('v', 2, true, null), { maxKeys: 3 }),
);
const data = fc.record(
  { name: value, a: value, b: value, n: value, flag: value, list: value, obj: value, url: value, nothing: fc.constant(undefined) },
  { requiredKeys: [] },
);

function variables(d: Record<string, unknown>): Record<string, unknown> {
  return { event: { type: 'test.event', severity: 'medium', occurred_at: '2026-01-06T09:15:00Z', key: null }, data: d, project: { name: 'P & Co' } };
}

function outcome(render: () => string): { ok: string } | { error: true } {
  try {
    return { ok: render() };
  } catch {
    return { error: true };
  }
}

describe('fast-liquid', () => {
  it('compiles every template string of the built-in event types', () => {
    expect(builtInLeaves.length).toBeGreaterThan(100);
    expect(builtInLeaves.filter((l) => l.leaf.fast === null).map((l) => l.source)).toEqual([]);
  });

  it('compiles the hand-written shapes', () => {
    expect(handWrittenLeaves.filter((l) => l.leaf.fast === null).map((l) => l.source)).toEqual([]);
  });

  it('leaves loops, captures and ranges to liquidjs', () => {
    for (const source of ['{% for x in data.list %}{{ x }}{% endfor %}', '{% capture c %}{{ data.a }}{% endcapture %}{{ c }}', '{{ (1..3) | join }}']) {
      expect(parseLeaf(source, 'mrkdwn').fast).toBeNull();
    }
  });

  it('renders exactly what liquidjs renders, for the same strings and any data', () => {
    const leaves = [...builtInLeaves, ...handWrittenLeaves];
    fc.assert(
      fc.property(data, (d) => {
        const vars = variables(d);
        const scope = new LeafScope(vars, unbounded());
        for (const leaf of leaves) {
          const fast = outcome(() => renderLeaf(leaf.leaf, leaf.mode, scope));
          const reference = outcome(() => renderLeafWithLiquidjs(leaf.leaf, leaf.mode, vars));
          expect(fast, `${leaf.mode}: ${leaf.source}`).toEqual(reference);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('renders built-in strings with their own sample data exactly like liquidjs', () => {
    for (const definition of BUILT_IN_EVENT_TYPES) {
      const compiled = compileTemplate(definition.template);
      const vars = variables(definition.sampleData as Record<string, unknown>);
      const scope = new LeafScope(vars, unbounded());
      for (const leaf of [...leavesOf(compiled.text), ...leavesOf(compiled.blocks)]) {
        expect(renderLeaf(leaf.leaf, leaf.mode, scope)).toBe(renderLeafWithLiquidjs(leaf.leaf, leaf.mode, vars));
      }
    }
  });

  it('keeps {% assign %} inside the string that made it', () => {
    const scope = new LeafScope(variables({ name: 'Ann' }), unbounded());
    const assign = parseLeaf('{% assign who = data.name %}{{ who }}', 'plain');
    const reader = parseLeaf('[{{ who }}]', 'plain');
    expect(renderLeaf(assign, 'plain', scope)).toBe('Ann');
    expect(renderLeaf(reader, 'plain', scope)).toBe('[]');
  });
});
