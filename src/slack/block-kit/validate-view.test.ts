import { describe, expect, it } from 'vitest';
import { formatSlackErrors } from './format-slack-errors.ts';
import { pointer } from './problem-list.ts';
import { validateView } from './validate-view.ts';

const x = (n: number) => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const input = { type: 'input', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'reason' } };
const modal = (extra: Record<string, unknown> = {}) => ({ type: 'modal', title: plain('Approve'), blocks: [], ...extra });

describe('validateView', () => {
  it('accepts a modal with a form and its buttons', () => {
    expect(validateView(modal({ blocks: [input], submit: plain('Send'), close: plain('Cancel'), callback_id: 'approve', private_metadata: '{"id":1}' }))).toEqual([]);
  });

  it('requires a plain_text title of at most 24 characters', () => {
    expect(validateView({ type: 'modal', blocks: [] })).toEqual([{ path: '/view', message: 'missing required field: title' }]);
    expect(validateView(modal({ title: plain(x(24)) }))).toEqual([]);
    expect(validateView(modal({ title: plain(x(25)) }))).toEqual([{ path: '/view/title/text', message: 'must be less than 25 characters' }]);
    expect(validateView(modal({ title: { type: 'mrkdwn', text: '*t*' } }))).toEqual([{ path: '/view/title/type', message: 'must be a valid enum value' }]);
  });

  it('limits submit and close to 24 characters', () => {
    expect(validateView(modal({ submit: plain(x(24)), close: plain(x(24)) }))).toEqual([]);
    expect(validateView(modal({ submit: plain(x(25)), close: plain(x(25)) }))).toEqual([
      { path: '/view/close/text', message: 'must be less than 25 characters' },
      { path: '/view/submit/text', message: 'must be less than 25 characters' },
    ]);
  });

  it('requires submit when the modal has an input block', () => {
    expect(validateView(modal({ blocks: [input] }))).toEqual([{ path: '/view', message: 'missing required field: submit' }]);
  });

  it('limits private_metadata to 3,000 and callback_id to 255 characters', () => {
    expect(validateView(modal({ private_metadata: x(3000), callback_id: x(255) }))).toEqual([]);
    expect(validateView(modal({ private_metadata: x(3001), callback_id: x(256) }))).toEqual([
      { path: '/view/private_metadata', message: 'must be less than 3001 characters' },
      { path: '/view/callback_id', message: 'must be less than 256 characters' },
    ]);
  });

  it('holds 100 blocks, not 101, with paths under /view/blocks', () => {
    const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateView(modal({ blocks: dividers(100) }))).toEqual([]);
    expect(validateView(modal({ blocks: dividers(101) }))).toEqual([{ path: '/view/blocks', message: 'no more than 100 items allowed' }]);
    expect(validateView(modal({ blocks: [{ type: 'nope' }] }))).toEqual([{ path: '/view/blocks/0/type', message: 'unsupported type: nope' }]);
  });

  it('accepts a Home tab without a title, and rejects unknown view types', () => {
    expect(validateView({ type: 'home', blocks: [{ type: 'divider' }] })).toEqual([]);
    expect(validateView({ type: 'dialog', blocks: [] })).toEqual([{ path: '/view/type', message: 'must be a valid enum value' }]);
    expect(validateView('modal')).toEqual([{ path: '/view', message: 'must provide an object' }]);
  });
});

describe('formatSlackErrors', () => {
  it("produces Slack's errors and response_metadata.messages lines", () => {
    const problems = [{ path: '/blocks/0/type', message: 'unsupported type: sections' }];
    expect(formatSlackErrors(problems)).toEqual({
      errors: ['unsupported type: sections [json-pointer:/blocks/0/type]'],
      response_metadata: { messages: ['[ERROR] unsupported type: sections [json-pointer:/blocks/0/type]'] },
    });
  });
});

describe('pointer', () => {
  it('escapes "~" and "/" in a token (RFC 6901)', () => {
    expect(pointer('/blocks', 'a/b~c')).toBe('/blocks/a~1b~0c');
    expect(pointer('', 0)).toBe('/0');
  });
});
