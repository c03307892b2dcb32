/** Missing data never renders as markup: every built-in message with empty data, alone, as a reply and as a root update. */
import { expectNoMarkupResidue } from '../../test/helpers/markup-residue.ts';
import { describe, expect, it } from 'vitest';
import { renderMessage, type TemplateContext } from '../templates/render-message.ts';
import { BUILT_IN_EVENT_TYPES, type EventTypeDefinition } from './built-in-event-types.ts';

function contextFor(definition: EventTypeDefinition, root: TemplateContext['root']): TemplateContext {
  return {
    event: { id: 'evt_1', type: definition.name, severity: definition.defaultSeverity, occurred_at: '2026-01-06T09:15:00Z', subject: root ? 's' : null, key: null },
    data: {},
    project: { name: 'My Project' },
    root,
  };
}


const all = BUILT_IN_EVENT_TYPES.map((definition) => [definition.name, definition] as const);
const root = { type: 'first.event', data: {}, occurred_at: '2026-01-06T09:00:00Z' };

describe('built-in messages with empty data', () => {
  it.each(all)('%s alone leaves no markup residue', (_name, definition) => {
    expectNoMarkupResidue(renderMessage(definition.template, contextFor(definition, null)), { labelWithNothing: true });
  });

  it.each(all.filter(([, d]) => d.subjectPolicy))('%s as a reply under a root leaves no markup residue', (_name, definition) => {
    expectNoMarkupResidue(renderMessage(definition.template, contextFor(definition, root)), { labelWithNothing: true });
  });

  it.each(all.filter(([, d]) => d.subjectPolicy?.updateTemplate))('%s: its root update leaves no markup residue', (_name, definition) => {
    expectNoMarkupResidue(renderMessage(definition.subjectPolicy!.updateTemplate!, contextFor(definition, root)), { labelWithNothing: true });
  });

  it.each(all.filter(([, d]) => d.subjectPolicy?.action === 'update_and_thread' && d.name !== 'challenge.completed'))(
    '%s replies in one line under a root',
    (_name, definition) => {
      const message = renderMessage(definition.template, { ...contextFor(definition, root), data: definition.sampleData ?? {} });
      expect(message.blocks).toHaveLength(1);
      expect((message.blocks![0] as { fields?: unknown }).fields).toBeUndefined();
      expect(message.text).not.toContain('\n');
    },
  );

  it('samples use the emulator\'s people, not made-up user ids', () => {
    const ids = JSON.stringify(BUILT_IN_EVENT_TYPES.map((d) => d.sampleData)).match(/"U[0-9A-Z]{8,}"/g) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(['"U00000001"', '"U00000002"', '"U00000003"']).toContain(id);
  });
});
