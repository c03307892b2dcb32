import { describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS as L } from './limits.ts';
import { validateBlocks } from './validate-blocks.ts';
import { ELEMENTS_BY_CONTAINER } from './validate-elements.ts';

const x = (n: number) => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (label: string, extra: Record<string, unknown> = {}) => ({ type: 'button', text: plain(label), action_id: `a-${label}`, ...extra });
const actions = (...elements: unknown[]) => [{ type: 'actions', elements }];

/** The messages reported at one path. */
function at(blocks: unknown, path: string, surface: 'message' | 'modal' | 'home' = 'message'): string[] {
  return validateBlocks(blocks, surface).filter((p) => p.path === path).map((p) => p.message);
}

describe('validateBlocks: a typical message', () => {
  it('accepts header, fields, buttons, context, divider, image and rich_text together', () => {
    const blocks = [
      { type: 'header', text: plain('Deploy finished :rocket:') },
      { type: 'section', fields: [mrkdwn('*Service*\napi'), mrkdwn('*Env*\nprod')] },
      {
        type: 'actions',
        block_id: 'deploy-actions',
        elements: [
          button('Approve', { style: 'primary', value: 'approve' }),
          button('Reject', { style: 'danger', confirm: { title: plain('Sure?'), text: mrkdwn('Really?'), confirm: plain('Yes'), deny: plain('No'), style: 'danger' } }),
          { type: 'static_select', action_id: 'pick', placeholder: plain('Pick'), options: [{ text: plain('One'), value: '1' }] },
        ],
      },
      { type: 'context', elements: [{ type: 'image', image_url: 'https://example.test/a.png', alt_text: 'a' }, mrkdwn('by bot')] },
      { type: 'divider' },
      { type: 'image', image_url: 'https://example.test/chart.png', alt_text: 'chart', title: plain('Chart') },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi', style: { bold: true } }, { type: 'user', user_id: 'U1' }] }] },
      { type: 'markdown', text: '**bold**' },
      { type: 'file', external_id: 'F1', source: 'remote' },
      { type: 'video', alt_text: 'v', title: plain('Video'), video_url: 'https://example.test/v', thumbnail_url: 'https://example.test/t.png' },
      { type: 'input', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'reason' } },
    ];
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });
});

describe('validateBlocks: limits at their boundary', () => {
  it(`allows ${L.blocksPerMessage} blocks in a message, not ${L.blocksPerMessage + 1}`, () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateBlocks(blocks(50), 'message')).toEqual([]);
    expect(at(blocks(51), '/blocks')).toEqual(['no more than 50 items allowed']);
  });

  it('allows 100 blocks in modals and Home tabs, not 101', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateBlocks(blocks(100), 'modal')).toEqual([]);
    expect(validateBlocks(blocks(100), 'home')).toEqual([]);
    expect(at(blocks(101), '/blocks', 'modal')).toEqual(['no more than 100 items allowed']);
    expect(at(blocks(101), '/blocks', 'home')).toEqual(['no more than 100 items allowed']);
  });

  it('section text: 3,000 characters ok, 3,001 rejected, empty rejected', () => {
    expect(validateBlocks([section(x(3000))], 'message')).toEqual([]);
    expect(at([section(x(3001))], '/blocks/0/text/text')).toEqual(['must be less than 3001 characters']);
    expect(at([section('')], '/blocks/0/text/text')).toEqual(['must be more than 0 characters']);
  });

  it('counts characters, not UTF-16 units: 3,000 emoji fit in a section', () => {
    expect(validateBlocks([section('🚀'.repeat(3000))], 'message')).toEqual([]);
  });

  it('header text: 150 ok, 151 rejected, and it must be plain_text', () => {
    expect(validateBlocks([{ type: 'header', text: plain(x(150)) }], 'message')).toEqual([]);
    expect(at([{ type: 'header', text: plain(x(151)) }], '/blocks/0/text/text')).toEqual(['must be less than 151 characters']);
    expect(at([{ type: 'header', text: mrkdwn('hi') }], '/blocks/0/text/type')).toEqual(['must be a valid enum value']);
  });

  it('section fields: 10 of 2,000 ok; 11 fields or a 2,001-character field rejected', () => {
    const fields = (n: number, len = 5) => ({ type: 'section', fields: Array.from({ length: n }, () => mrkdwn(x(len))) });
    expect(validateBlocks([fields(10, 2000)], 'message')).toEqual([]);
    expect(at([fields(11)], '/blocks/0/fields')).toEqual(['no more than 10 items allowed']);
    expect(at([fields(2, 2001)], '/blocks/0/fields/1/text')).toEqual(['must be less than 2001 characters']);
  });

  it('actions: 25 elements ok, 26 rejected', () => {
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => button(`b${i}`));
    expect(validateBlocks(actions(...buttons(25)), 'message')).toEqual([]);
    expect(at(actions(...buttons(26)), '/blocks/0/elements')).toEqual(['no more than 25 items allowed']);
  });

  it('context: 10 elements ok, 11 rejected, 0 rejected', () => {
    const context = (n: number) => [{ type: 'context', elements: Array.from({ length: n }, () => mrkdwn('c')) }];
    expect(validateBlocks(context(10), 'message')).toEqual([]);
    expect(at(context(11), '/blocks/0/elements')).toEqual(['no more than 10 items allowed']);
    expect(at(context(0), '/blocks/0/elements')).toEqual(['must provide at least 1 item']);
  });

  it('button text 75, value 2,000, url 3,000, accessibility_label 75', () => {
    const ok = button(x(75), { value: x(2000), url: `https://e.test/${x(3000 - 15)}`, accessibility_label: x(75) });
    expect(validateBlocks(actions(ok), 'message')).toEqual([]);
    const bad = button(x(76), { value: x(2001), url: `https://e.test/${x(3001 - 15)}`, accessibility_label: x(76) });
    expect(validateBlocks(actions(bad), 'message')).toEqual([
      { path: '/blocks/0/elements/0/text/text', message: 'must be less than 76 characters' },
      { path: '/blocks/0/elements/0/url', message: 'must be less than 3001 characters' },
      { path: '/blocks/0/elements/0/value', message: 'must be less than 2001 characters' },
      { path: '/blocks/0/elements/0/accessibility_label', message: 'must be less than 76 characters' },
    ]);
  });

  it('button style must be primary or danger', () => {
    expect(at(actions(button('b', { style: 'green' })), '/blocks/0/elements/0/style')).toEqual(['must be a valid enum value']);
  });

  it('block_id and action_id: 255 ok, 256 rejected', () => {
    const withIds = (len: number) => [{ type: 'actions', block_id: x(len), elements: [button('b', { action_id: x(len) })] }];
    expect(validateBlocks(withIds(255), 'message')).toEqual([]);
    expect(validateBlocks(withIds(256), 'message')).toEqual([
      { path: '/blocks/0/block_id', message: 'must be less than 256 characters' },
      { path: '/blocks/0/elements/0/action_id', message: 'must be less than 256 characters' },
    ]);
  });

  it('image block: alt_text 2,000 and image_url 3,000 at the boundary', () => {
    const image = (alt: number, url: number) => [{ type: 'image', alt_text: x(alt), image_url: `https://e.test/${x(url - 15)}` }];
    expect(validateBlocks(image(2000, 3000), 'message')).toEqual([]);
    expect(at(image(2001, 3000), '/blocks/0/alt_text')).toEqual(['must be less than 2001 characters']);
    expect(at(image(10, 3001), '/blocks/0/image_url')).toEqual(['must be less than 3001 characters']);
  });

  it('input label 2,000 ok, 2,001 rejected', () => {
    const input = (n: number) => [{ type: 'input', label: plain(x(n)), element: { type: 'plain_text_input' } }];
    expect(validateBlocks(input(2000), 'modal')).toEqual([]);
    expect(at(input(2001), '/blocks/0/label/text', 'modal')).toEqual(['must be less than 2001 characters']);
  });

  it('option text 75 / value 150 and 100 options per menu', () => {
    const select = (options: unknown[]) => actions({ type: 'static_select', action_id: 's', placeholder: plain('p'), options });
    const opts = (n: number) => Array.from({ length: n }, (_, i) => ({ text: plain(`o${i}`), value: `${i}` }));
    expect(validateBlocks(select([{ text: plain(x(75)), value: x(150) }]), 'message')).toEqual([]);
    expect(validateBlocks(select([{ text: plain(x(76)), value: x(151) }]), 'message')).toEqual([
      { path: '/blocks/0/elements/0/options/0/text/text', message: 'must be less than 76 characters' },
      { path: '/blocks/0/elements/0/options/0/value', message: 'must be less than 151 characters' },
    ]);
    expect(validateBlocks(select(opts(100)), 'message')).toEqual([]);
    expect(at(select(opts(101)), '/blocks/0/elements/0/options')).toEqual(['no more than 100 items allowed']);
  });

  it('confirm dialog: title 100, text 300, buttons 30', () => {
    const confirm = (t: number, body: number, b: number) =>
      actions(button('go', { confirm: { title: plain(x(t)), text: plain(x(body)), confirm: plain(x(b)), deny: plain(x(b)) } }));
    expect(validateBlocks(confirm(100, 300, 30), 'message')).toEqual([]);
    expect(validateBlocks(confirm(101, 301, 31), 'message').map((p) => p.path)).toEqual([
      '/blocks/0/elements/0/confirm/title/text',
      '/blocks/0/elements/0/confirm/text/text',
      '/blocks/0/elements/0/confirm/confirm/text',
      '/blocks/0/elements/0/confirm/deny/text',
    ]);
  });

  it('checkboxes and radio buttons hold 10 options; overflow 5', () => {
    const opts = (n: number) => Array.from({ length: n }, (_, i) => ({ text: mrkdwn(`*o${i}*`), value: `${i}` }));
    const plainOpts = (n: number) => Array.from({ length: n }, (_, i) => ({ text: plain(`o${i}`), value: `${i}` }));
    expect(validateBlocks(actions({ type: 'checkboxes', action_id: 'c', options: opts(10) }), 'message')).toEqual([]);
    expect(at(actions({ type: 'checkboxes', action_id: 'c', options: opts(11) }), '/blocks/0/elements/0/options')).toEqual(['no more than 10 items allowed']);
    expect(at(actions({ type: 'radio_buttons', action_id: 'r', options: opts(11) }), '/blocks/0/elements/0/options')).toEqual(['no more than 10 items allowed']);
    expect(validateBlocks(actions({ type: 'overflow', action_id: 'o', options: plainOpts(5) }), 'message')).toEqual([]);
    expect(at(actions({ type: 'overflow', action_id: 'o', options: plainOpts(6) }), '/blocks/0/elements/0/options')).toEqual(['no more than 5 items allowed']);
  });

  it('markdown block: 12,000 ok, 12,001 rejected', () => {
    expect(validateBlocks([{ type: 'markdown', text: x(12000) }], 'message')).toEqual([]);
    expect(at([{ type: 'markdown', text: x(12001) }], '/blocks/0/text')).toEqual(['must be less than 12001 characters']);
  });
});

describe('validateBlocks: shapes and types', () => {
  it('reports unknown block types the way Slack does', () => {
    expect(validateBlocks([{ type: 'sections', text: mrkdwn('hi') }], 'message')).toEqual([
      { path: '/blocks/0/type', message: 'unsupported type: sections' },
    ]);
  });

  it('reports unknown element types and elements a container does not accept', () => {
    expect(at(actions({ type: 'slider', action_id: 's' }), '/blocks/0/elements/0/type')).toEqual(['unsupported type: slider']);
    // plain_text_input lives in input blocks, not in actions
    expect(at(actions({ type: 'plain_text_input', action_id: 'p' }), '/blocks/0/elements/0/type')).toEqual(['unsupported type: plain_text_input']);
    // buttons are not input elements
    expect(at([{ type: 'input', label: plain('l'), element: button('b') }], '/blocks/0/element/type', 'modal')).toEqual(['unsupported type: button']);
  });

  it('reports paths under another base for nested blocks (attachments)', () => {
    expect(validateBlocks([{ type: 'sections' }], 'message', '/attachments/0/blocks')).toEqual([
      { path: '/attachments/0/blocks/0/type', message: 'unsupported type: sections' },
    ]);
  });

  it('requires an array of objects', () => {
    expect(validateBlocks({ type: 'divider' }, 'message')).toEqual([{ path: '/blocks', message: 'must provide an array' }]);
    expect(validateBlocks(['divider'], 'message')).toEqual([{ path: '/blocks/0', message: 'must provide an object' }]);
    expect(at([{ type: 'section', text: 'plain string' }], '/blocks/0/text')).toEqual(['must provide an object']);
  });

  it('names missing required fields', () => {
    expect(validateBlocks([{ text: mrkdwn('x') }], 'message')).toEqual([{ path: '/blocks/0', message: 'missing required field: type' }]);
    expect(at([{ type: 'header' }], '/blocks/0')).toEqual(['missing required field: text']);
    expect(at([{ type: 'section' }], '/blocks/0')).toEqual(['must provide either text or fields']);
    expect(at([{ type: 'image', image_url: 'https://e.test/a.png' }], '/blocks/0')).toEqual(['missing required field: alt_text']);
    expect(at(actions({ type: 'button', action_id: 'b' }), '/blocks/0/elements/0')).toEqual(['missing required field: text']);
  });

  it('rejects a text object type other than plain_text or mrkdwn', () => {
    expect(at([{ type: 'section', text: { type: 'markdown', text: 'x' } }], '/blocks/0/text/type')).toEqual(['must be a valid enum value']);
  });

  it('reports duplicate block_ids across the message', () => {
    const blocks = [
      { type: 'divider', block_id: 'same' },
      { type: 'section', block_id: 'same', text: mrkdwn('x') },
    ];
    expect(validateBlocks(blocks, 'message')).toEqual([{ path: '/blocks/1/block_id', message: 'duplicate block_id: same' }]);
  });

  it('reports duplicate action_ids within a block, but allows the same action_id in two blocks', () => {
    expect(at(actions(button('a', { action_id: 'go' }), button('b', { action_id: 'go' })), '/blocks/0/elements/1/action_id')).toEqual([
      'duplicate action_id: go',
    ]);
    const twoBlocks = [...actions(button('a', { action_id: 'go' })), ...actions(button('b', { action_id: 'go' }))];
    expect(validateBlocks(twoBlocks, 'message')).toEqual([]);
  });

  it('static menus need exactly one of options or option_groups', () => {
    const select = (extra: Record<string, unknown>) => actions({ type: 'static_select', action_id: 's', placeholder: plain('p'), ...extra });
    expect(at(select({}), '/blocks/0/elements/0')).toEqual(['must provide either options or option_groups']);
    const option = { text: plain('o'), value: 'o' };
    expect(at(select({ options: [option], option_groups: [{ label: plain('g'), options: [option] }] }), '/blocks/0/elements/0')).toEqual([
      'must provide only one of options or option_groups',
    ]);
    expect(validateBlocks(select({ option_groups: [{ label: plain('g'), options: [option] }] }), 'message')).toEqual([]);
  });

  it('pickers need well-formed initial values', () => {
    expect(at(actions({ type: 'datepicker', action_id: 'd', initial_date: '2026-02-30' }), '/blocks/0/elements/0/initial_date')).toEqual([
      'must be a valid date in the format YYYY-MM-DD',
    ]);
    expect(validateBlocks(actions({ type: 'datepicker', action_id: 'd', initial_date: '2028-02-29' }), 'message')).toEqual([]);
    expect(at(actions({ type: 'timepicker', action_id: 't', initial_time: '24:00' }), '/blocks/0/elements/0/initial_time')).toEqual([
      'must be a valid time in the format HH:mm',
    ]);
  });

  it('accepts the selects that load their options from Slack', () => {
    const selects = ['users_select', 'conversations_select', 'channels_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select'];
    const blocks = actions(...selects.map((type) => ({ type, action_id: type, placeholder: plain('Choose') })));
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });
});

describe('validateBlocks: surfaces', () => {
  it('keeps file and markdown blocks to messages', () => {
    expect(at([{ type: 'file', external_id: 'F', source: 'remote' }], '/blocks/0/type', 'modal')).toEqual(['unsupported type: file']);
    expect(at([{ type: 'markdown', text: 'hi' }], '/blocks/0/type', 'home')).toEqual(['unsupported type: markdown']);
  });

  it('allows input blocks on every surface', () => {
    const input = [{ type: 'input', label: plain('Name'), element: { type: 'plain_text_input', action_id: 'n' } }];
    for (const surface of ['message', 'modal', 'home'] as const) expect(validateBlocks(input, surface)).toEqual([]);
  });
});

describe('validateBlocks: rich_text', () => {
  const rich = (elements: unknown[]) => [{ type: 'rich_text', elements }];

  it('accepts sections, lists, quotes and preformatted runs', () => {
    const blocks = rich([
      { type: 'rich_text_section', elements: [{ type: 'text', text: 'a', style: { bold: true } }, { type: 'link', url: 'https://e.test' }, { type: 'emoji', name: 'tada' }] },
      { type: 'rich_text_list', style: 'bullet', indent: 1, elements: [{ type: 'rich_text_section', elements: [{ type: 'channel', channel_id: 'C1' }] }] },
      { type: 'rich_text_quote', elements: [{ type: 'broadcast', range: 'here' }] },
      { type: 'rich_text_preformatted', elements: [{ type: 'date', timestamp: 1767261600 }] },
    ]);
    expect(validateBlocks(blocks, 'message')).toEqual([]);
  });

  it('reports unknown containers and inline elements, a missing list style and a missing field', () => {
    expect(validateBlocks(rich([{ type: 'rich_text_table', elements: [] }]), 'message')).toEqual([
      { path: '/blocks/0/elements/0/type', message: 'unsupported type: rich_text_table' },
    ]);
    expect(validateBlocks(rich([{ type: 'rich_text_section', elements: [{ type: 'sparkle' }] }]), 'message')).toEqual([
      { path: '/blocks/0/elements/0/elements/0/type', message: 'unsupported type: sparkle' },
    ]);
    expect(validateBlocks(rich([{ type: 'rich_text_list', elements: [] }]), 'message')).toEqual([
      { path: '/blocks/0/elements/0', message: 'missing required field: style' },
    ]);
    expect(validateBlocks(rich([{ type: 'rich_text_section', elements: [{ type: 'link' }] }]), 'message')).toEqual([
      { path: '/blocks/0/elements/0/elements/0', message: 'missing required field: url' },
    ]);
  });
});

describe('validateBlocks: every accepted element type is checked', () => {
  it('validates a bare element of each type a container accepts without failing', () => {
    for (const type of ELEMENTS_BY_CONTAINER.actions) expect(() => validateBlocks(actions({ type }), 'message')).not.toThrow();
    for (const type of ELEMENTS_BY_CONTAINER.input) {
      expect(() => validateBlocks([{ type: 'input', label: plain('l'), element: { type } }], 'modal')).not.toThrow();
    }
    for (const type of ELEMENTS_BY_CONTAINER.accessory) expect(() => validateBlocks([{ type: 'section', text: mrkdwn('t'), accessory: { type } }], 'message')).not.toThrow();
  });
});

