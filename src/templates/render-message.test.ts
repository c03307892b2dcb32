import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../errors.ts';
import { charCount } from '../slack/block-kit/limits.ts';
import { validateBlocks } from '../slack/block-kit/validate-blocks.ts';
import type { MessageTemplate } from './message-template.ts';
import { renderMessage, type TemplateContext } from './render-message.ts';

function context(data: Record<string, unknown> = {}): TemplateContext {
  return {
    event: { type: 'test.event', severity: 'high', occurred_at: '2026-01-06T09:15:00Z', key: null },
    data,
    project: { name: 'My Project' },
  };
}

type Json = Record<string, any>;
const render = (template: MessageTemplate, data: Record<string, unknown> = {}) => renderMessage(template, context(data));
const blocksOf = (template: MessageTemplate, data: Record<string, unknown> = {}) => (render(template, data).blocks ?? []) as Json[];

/** Every place a template can put event data where Slack parses mrkdwn. */
const mrkdwnEverywhere: MessageTemplate = {
  text: 'Hello {{ data.name }}',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: 'Section {{ data.name }}' }, fields: [{ type: 'mrkdwn', text: 'Field {{ data.name }}' }] },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Context {{ data.name }}' }] },
  ],
};
function mrkdwnOutputs(data: Record<string, unknown>): string[] {
  const message = render(mrkdwnEverywhere, data);
  const [section, ctx] = message.blocks as Json[];
  return [message.text, section.text.text, section.fields[0].text, ctx.elements[0].text];
}

function slackUnescape(text: string): string {
  return text.replace(/\u2060/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe('renderMessage: event data cannot inject mrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<#C024BE91L>', '&lt;#C024BE91L&gt;'],
    ['<!subteam^S012|admins>', '&lt;!subteam^S012|admins&gt;'],
    ['<https://evil.example|click here>', '&lt;https://evil.example|click here&gt;'],
    ['&lt;!channel&gt;', '&amp;lt;!channel&amp;gt;'],
  ])('neutralises %s in text, section text, fields and context', (name, escaped) => {
    for (const output of mrkdwnOutputs({ name })) {
      expect(output).toContain(escaped);
      expect(output).not.toMatch(/<[!@#h]/);
    }
  });

  it('never lets a < or > from any data through, and Slack shows exactly what was sent', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }).filter((s) => s.trim() !== ''), (name) => {
        const [text, section] = mrkdwnOutputs({ name });
        const shown = section.slice('Section '.length);
        expect(shown).not.toMatch(/[<>]/);
        expect(slackUnescape(shown)).toBe(name);
        expect(slackUnescape(text.slice('Hello '.length))).toBe(name);
      }),
    );
  });

  it('keeps the markup the template author wrote', () => {
    const message = render({ text: '<!here> *{{ data.name }}* deployed', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<https://example.com|Docs> for {{ data.name }}' } }] }, { name: 'A&B' });
    expect(message.text).toBe('<!here> *A&amp;B* deployed');
    expect((message.blocks as Json[])[0].text.text).toBe('<https://example.com|Docs> for A&amp;B');
  });

  it('lets the author opt out with raw_mrkdwn', () => {
    const message = render({ text: 'Note: {{ data.note | raw_mrkdwn }}' }, { note: '<!here> *deploy* <https://example.com|now>' });
    expect(message.text).toBe('Note: <!here> *deploy* <https://example.com|now>');
  });

  it('escapes a safe value again once another filter has changed it', () => {
    const message = render({ text: '{{ data.id | user_mention | append: data.tail }}' }, { id: 'U0123ABCD', tail: '<!channel>' });
    expect(message.text).toBe('&lt;@U0123ABCD&gt;&lt;!channel&gt;');
  });
});

describe('renderMessage: text Slack shows literally is not escaped', () => {
  const template: MessageTemplate = {
    text: '{{ data.title }}',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: '{{ data.title }}' } },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: '{{ data.title }}' }, url: 'https://example.com/?a=1&b={{ data.id }}', value: '{{ data.title }}' }],
      },
      { type: 'context', elements: [{ type: 'plain_text', text: '{{ data.title }}' }] },
    ],
  };

  it('shows "&", "<" and ">" in plain_text, button values and URLs as they are', () => {
    const message = render(template, { title: 'Tom & Jerry <3', id: '7' });
    const [head, actions, ctx] = message.blocks as Json[];
    expect(head.text.text).toBe('Tom & Jerry <3');
    expect(actions.elements[0].text.text).toBe('Tom & Jerry <3');
    expect(actions.elements[0].value).toBe('Tom & Jerry <3');
    expect(actions.elements[0].url).toBe('https://example.com/?a=1&b=7');
    expect(ctx.elements[0].text).toBe('Tom & Jerry <3');
    expect(JSON.stringify(message.blocks)).not.toContain('&amp;');
    // The fallback text is mrkdwn, so there it is escaped.
    expect(message.text).toBe('Tom &amp; Jerry &lt;3');
  });

  it('renders mrkdwn filters as readable text in plain_text', () => {
    const blocks = blocksOf(
      { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: '{{ data.url | mrkdwn_link: data.label }} {{ data.when | slack_date }}' } }] },
      { url: 'https://example.com', label: 'Report', when: '2026-01-06T09:15:00Z' },
    );
    expect(blocks[0].text.text).toBe('Report 2026-01-06 09:15 UTC');
  });
});

describe('renderMessage: Block Kit limits', () => {
  const long = (n: number) => 'x'.repeat(n);
  const cases: Array<[string, MessageTemplate, (m: { text: string; blocks?: unknown[] }) => string, number]> = [
    ['fallback text', { text: '{{ data.v }}' }, (m) => m.text, 4_000],
    ['section text', { text: 't', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '{{ data.v }}' } }] }, (m) => (m.blocks as Json[])[0].text.text, 3_000],
    ['section field', { text: 't', blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: '{{ data.v }}' }] }] }, (m) => (m.blocks as Json[])[0].fields[0].text, 2_000],
    ['header', { text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: '{{ data.v }}' } }] }, (m) => (m.blocks as Json[])[0].text.text, 150],
    ['context text', { text: 't', blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: '{{ data.v }}' }] }] }, (m) => (m.blocks as Json[])[0].elements[0].text, 3_000],
    [
      'button text',
      { text: 't', blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: '{{ data.v }}' }, url: 'https://example.com' }] }] },
      (m) => (m.blocks as Json[])[0].elements[0].text.text,
      75,
    ],
  ];

  it.each(cases)('truncates %s to its limit with an ellipsis', (_name, template, pick, limit) => {
    const message = render(template, { v: long(limit + 500) });
    const text = pick(message);
    expect(charCount(text)).toBe(limit);
    expect(text.endsWith('…')).toBe(true);
    expect(validateBlocks(message.blocks ?? [], 'message')).toEqual([]);
  });

  it.each(cases)('leaves %s at exactly its limit alone', (_name, template, pick, limit) => {
    expect(pick(render(template, { v: long(limit) }))).toBe(long(limit));
  });

  it('counts characters, not UTF-16 units, and never splits an emoji', () => {
    const [head] = blocksOf({ text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: '{{ data.v }}' } }] }, { v: '🚀'.repeat(200) });
    expect(charCount(head.text.text)).toBe(150);
    expect(head.text.text).toBe('🚀'.repeat(149) + '…');
  });

  it('truncates escaped data without breaking an entity', () => {
    const message = render({ text: '{{ data.v }}' }, { v: 'a'.repeat(3_998) + '&&&' });
    expect(message.text).toBe('a'.repeat(3_998) + '…');
  });

  it('cuts lists to their maximum count: blocks 50, fields 10, context 10, actions 25', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ n: i + 1 }));
    const blocks = blocksOf(
      {
        text: 't',
        blocks: [
          { type: 'section', fields: [{ $each: 'data.items', as: 'i', template: { type: 'mrkdwn', text: 'F{{ i.n }}' } }] },
          { type: 'context', elements: [{ $each: 'data.items', as: 'i', template: { type: 'mrkdwn', text: 'C{{ i.n }}' } }] },
          {
            type: 'actions',
            elements: [{ $each: 'data.items', as: 'i', template: { type: 'button', text: { type: 'plain_text', text: 'B{{ i.n }}' }, url: 'https://example.com/{{ i.n }}' } }],
          },
          { $each: 'data.items', as: 'i', template: { type: 'section', text: { type: 'mrkdwn', text: 'S{{ i.n }}' } } },
        ],
      },
      { items },
    );
    expect(blocks).toHaveLength(50);
    expect(blocks[0].fields).toHaveLength(10);
    expect(blocks[0].fields[9].text).toBe('F10');
    expect(blocks[1].elements).toHaveLength(10);
    expect(blocks[2].elements).toHaveLength(25);
    expect(blocks[49].text.text).toBe('S47');
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('drops what rendered empty instead of sending text Slack rejects', () => {
    const message = render(
      {
        text: '{{ data.missing }}',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '{{ data.missing }}' } },
          { type: 'section', text: { type: 'mrkdwn', text: '{{ data.missing }}' }, fields: [{ type: 'mrkdwn', text: 'kept' }, { type: 'mrkdwn', text: ' {{ data.missing }} ' }] },
          { type: 'section', text: { type: 'mrkdwn', text: '{{ data.missing }}' } },
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: '{{ data.missing }}' },
              { type: 'button', text: { type: 'plain_text', text: 'Evil' }, url: 'javascript:alert(1)' },
            ],
          },
          { type: 'divider' },
        ],
      },
      {},
    );
    // The event type stands in for an empty notification text.
    expect(message.text).toBe('test.event');
    expect(message.blocks).toEqual([{ type: 'section', fields: [{ type: 'mrkdwn', text: 'kept' }] }, { type: 'divider' }]);
  });

  it('sends the text alone when every block rendered away', () => {
    expect(render({ text: 'hi', blocks: [{ $if: 'data.flag', then: { type: 'divider' } }] })).toEqual({ text: 'hi' });
  });
});

describe('renderMessage: $each and $if', () => {
  it('$each renders one element per item with the item under its name', () => {
    const [section] = blocksOf(
      { text: 't', blocks: [{ type: 'section', fields: [{ $each: 'data.fields', as: 'f', template: { type: 'mrkdwn', text: '*{{ f.title }}*\n{{ f.value }}' } }] }] },
      { fields: [{ title: 'Service', value: 'api' }, { title: 'Env', value: '<prod>' }] },
    );
    expect(section.fields).toEqual([
      { type: 'mrkdwn', text: '*Service*\napi' },
      { type: 'mrkdwn', text: '*Env*\n&lt;prod&gt;' },
    ]);
  });

  it('$each uses "item" by default, nests, and yields nothing for a missing or non-list value', () => {
    const template: MessageTemplate = {
      text: 't',
      blocks: [
        {
          $each: 'data.groups',
          template: { type: 'context', elements: [{ $each: 'item.tags', as: 'tag', template: { type: 'plain_text', text: '{{ item.name }}:{{ tag }}' } }] },
        },
      ],
    };
    const blocks = blocksOf(template, { groups: [{ name: 'a', tags: ['x', 'y'] }, { name: 'b', tags: 'not a list' }] });
    expect(blocks).toEqual([{ type: 'context', elements: [{ type: 'plain_text', text: 'a:x' }, { type: 'plain_text', text: 'a:y' }] }]);
    expect(render(template, { groups: 'nope' })).toEqual({ text: 't' });
  });

  it('$if keeps an element when the value is set and drops it when missing, null, false, "" or []', () => {
    const template: MessageTemplate = {
      text: 't',
      blocks: [{ type: 'divider' }, { $if: 'data.runbook_url', then: { type: 'section', text: { type: 'mrkdwn', text: '<{{ data.runbook_url }}|Runbook>' } } }],
    };
    expect(blocksOf(template, { runbook_url: 'https://example.com/rb' })).toHaveLength(2);
    for (const value of [undefined, null, false, '', []]) {
      expect(blocksOf(template, { runbook_url: value })).toEqual([{ type: 'divider' }]);
    }
    // 0 is a real value (e.g. "attempts: 0").
    expect(blocksOf(template, { runbook_url: 0 })).toHaveLength(2);
  });

  it('$if uses else when given, and omits a property when false without else', () => {
    const template: MessageTemplate = {
      text: 't',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'Deploy' },
          accessory: { $if: 'data.url', then: { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: '{{ data.url }}' } },
        },
        { $if: 'data.ok', then: { type: 'divider' }, else: { type: 'section', text: { type: 'mrkdwn', text: 'not ok' } } },
      ],
    };
    const [withUrl] = blocksOf(template, { url: 'https://example.com/', ok: true });
    expect(withUrl.accessory.url).toBe('https://example.com/');
    const [without, otherwise] = blocksOf(template, {});
    expect(without).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Deploy' } });
    expect(otherwise.text.text).toBe('not ok');
  });

  it('never reads inherited properties of event data', () => {
    const message = render(
      { text: '[{{ data.constructor }}][{{ data.hasOwnProperty }}][{{ data.__proto__ }}]', blocks: [{ $if: 'data.constructor', then: { type: 'divider' } }] },
      { name: 'abc' },
    );
    expect(message).toEqual({ text: '[][][]' });
  });
});

describe('renderMessage: invalid templates', () => {
  function thrown(fn: () => unknown): SwitchboardError {
    try {
      fn();
    } catch (error) {
      return error as SwitchboardError;
    }
    throw new Error('expected an error');
  }

  it('throws template_invalid with the problems for an unknown block type', () => {
    const error = thrown(() => render({ text: 't', blocks: [{ type: 'sections', text: { type: 'mrkdwn', text: 'x' } }] }));
    expect(error.code).toBe('template_invalid');
    expect(error.details?.problems).toEqual([{ path: '/blocks/0/type', message: 'unsupported type: sections' }]);
  });

  it('throws template_invalid when data turns a block into something Slack rejects', () => {
    const error = thrown(() => render({ text: 't', blocks: [{ type: '{{ data.kind }}' }] }, { kind: 'banner' }));
    expect(error.code).toBe('template_invalid');
    expect(error.details).toMatchObject({ stage: 'rendered', problems: [{ path: '/blocks/0/type' }] });
  });

  it('throws template_invalid for a Liquid syntax error, pointing at the string', () => {
    const error = thrown(() => render({ text: 'ok', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '{% if data.x %}open' } }] }));
    expect(error.code).toBe('template_invalid');
    expect((error.details?.problems as Array<{ path: string }>)[0].path).toBe('/blocks/0/text/text');
  });
});
