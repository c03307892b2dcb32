import { describe, expect, it } from 'vitest';
import { validateBlocks } from '../slack/block-kit/validate-blocks.ts';
import { checkTemplate, renderMessage, type TemplateContext } from '../templates/render-message.ts';
import { BUILT_IN_EVENT_TYPES, findBuiltInEventType, type EventTypeDefinition } from './built-in-event-types.ts';
import { checkEventTypeName } from './event-type-name.ts';
import { isSeverity } from './severity.ts';

function contextFor(definition: EventTypeDefinition, data: Record<string, unknown>): TemplateContext {
  return {
    event: { id: 'evt_1', type: definition.name, severity: definition.defaultSeverity, occurred_at: '2026-01-06T09:15:00Z', subject: null, key: null },
    data,
    project: { name: 'My Project' },
  };
}

/** The sample data with every string replaced by an injection attempt. */
function hostile(value: unknown): unknown {
  if (typeof value === 'string') return `<!channel> <@U0BADBAD1> <https://evil.example|${value}> &lt; ${'x'.repeat(3_000)}`;
  if (Array.isArray(value)) return value.map(hostile);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hostile(v)]));
  return value;
}

const all = BUILT_IN_EVENT_TYPES.map((definition) => [definition.name, definition] as const);

describe('built-in event types', () => {
  it('ship the three packs with the documented types', () => {
    const byPack = (pack: string) => BUILT_IN_EVENT_TYPES.filter((d) => d.pack === pack).map((d) => d.name);
    expect(byPack('approvals')).toEqual([
      'approval.created', 'approval.executed', 'approval.expired', 'approval.invalidated', 'approval.pin_failed', 'approval.token_locked',
    ]);
    expect(byPack('gamification')).toEqual([
      'challenge.live', 'challenge.progress', 'challenge.completed', 'challenge.winner', 'milestone.reached', 'streak.hit', 'reward.won',
    ]);
    expect(byPack('ops')).toEqual([
      'alert.triggered', 'alert.resolved', 'deployment.started', 'deployment.succeeded', 'deployment.failed', 'metric.threshold_breached',
    ]);
  });

  it('have unique, valid names and are found by name', () => {
    const names = BUILT_IN_EVENT_TYPES.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(checkEventTypeName(name)).toBeNull();
      expect(findBuiltInEventType(name)?.name).toBe(name);
    }
    expect(findBuiltInEventType('approval.nope')).toBeUndefined();
  });

  it('have sensible severities and lifetimes', () => {
    for (const d of BUILT_IN_EVENT_TYPES) expect(isSeverity(d.defaultSeverity)).toBe(true);
    for (const name of ['approval.pin_failed', 'approval.token_locked', 'alert.triggered', 'deployment.failed']) {
      expect(findBuiltInEventType(name)?.defaultSeverity).toBe('high');
    }
    // Progress pings go stale; winners and rewards are always worth announcing.
    expect(findBuiltInEventType('challenge.progress')?.ttlSeconds).toBe(3_600);
    expect(findBuiltInEventType('challenge.winner')?.ttlSeconds).toBeNull();
    expect(findBuiltInEventType('reward.won')?.ttlSeconds).toBeNull();
  });

  it('cannot be changed by a caller', () => {
    const definition = findBuiltInEventType('approval.created')!;
    expect(() => {
      (definition.template as { text: string }).text = 'changed';
    }).toThrow(TypeError);
  });

  it.each(all)('%s passes checkTemplate', (_name, definition) => {
    expect(checkTemplate(definition.template)).toEqual([]);
  });

  it.each(all)('%s renders its sample data into valid Block Kit', (_name, definition) => {
    const message = renderMessage(definition.template, contextFor(definition, definition.sampleData));
    expect(message.text.length).toBeGreaterThan(10);
    expect(message.text).not.toContain('{{');
    expect(message.blocks?.length).toBeGreaterThan(0);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    // No sample value is missing: an empty field would show as a label with nothing under it.
    expect(JSON.stringify(message.blocks)).not.toMatch(/\*\\n"/);
  });

  it.each(all)('%s stays valid and harmless with hostile data', (_name, definition) => {
    const message = renderMessage(definition.template, contextFor(definition, hostile(definition.sampleData) as Record<string, unknown>));
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    const mrkdwnTexts = [message.text, ...JSON.stringify(message.blocks).matchAll(/"type":"mrkdwn","text":"((?:[^"\\]|\\.)*)"/g)].map((m) =>
      typeof m === 'string' ? m : m[1],
    );
    for (const text of mrkdwnTexts) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@U0BADBAD1>');
      expect(text).not.toContain('<https://evil.example');
    }
  });

  it.each(all)('%s renders even with no data at all', (_name, definition) => {
    const message = renderMessage(definition.template, contextFor(definition, {}));
    expect(message.text.trim()).not.toBe('');
    expect(validateBlocks(message.blocks ?? [], 'message')).toEqual([]);
  });
});

describe('built-in subject policies', () => {
  it('evolve approvals, challenges, alerts and deployments in place', () => {
    const policy = (name: string) => findBuiltInEventType(name)?.subjectPolicy?.action ?? 'new';
    expect(policy('approval.created')).toBe('new');
    expect(policy('approval.executed')).toBe('update_and_thread');
    expect(policy('challenge.progress')).toBe('thread');
    expect(policy('alert.resolved')).toBe('update_and_thread');
    expect(findBuiltInEventType('challenge.winner')?.subjectPolicy?.replyBroadcast).toBe(true);
  });

  it.each(all.filter(([, d]) => d.subjectPolicy?.updateTemplate))('%s: the update template renders within Block Kit limits', (_name, definition) => {
    const template = definition.subjectPolicy!.updateTemplate!;
    expect(checkTemplate(template)).toEqual([]);
    const rendered = renderMessage(template, contextFor(definition, definition.sampleData));
    expect(validateBlocks(rendered.blocks ?? [], 'message')).toEqual([]);
    expect(rendered.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false); // buttons removed
    expect(rendered.text.length).toBeGreaterThan(0);
  });
});
