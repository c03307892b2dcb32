import { describe, expect, it } from 'vitest';
import { checkTemplate } from './render-message.ts';

describe('checkTemplate', () => {
  it('accepts a valid template', () => {
    expect(
      checkTemplate({
        text: '{{ data.name }} did it',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '{{ data.title }}' } },
          { type: 'section', fields: [{ $each: 'data.fields', as: 'f', template: { type: 'mrkdwn', text: '{{ f }}' } }] },
          { $if: 'data.url', then: { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: '{{ data.url }}' }] } },
        ],
      }),
    ).toEqual([]);
  });

  it('requires an object with a non-empty text', () => {
    expect(checkTemplate('hello')).toEqual([{ path: '', message: expect.stringContaining('must be an object') }]);
    expect(checkTemplate({ blocks: [] })).toEqual([{ path: '/text', message: expect.stringContaining('is required') }]);
    expect(checkTemplate({ text: '  ' })).toEqual([{ path: '/text', message: expect.stringContaining('is required') }]);
  });

  it('reports unknown fields and a non-array blocks', () => {
    expect(checkTemplate({ text: 'x', block: [] })).toEqual([{ path: '/block', message: expect.stringContaining('unknown field') }]);
    expect(checkTemplate({ text: 'x', blocks: {} })).toEqual([{ path: '/blocks', message: expect.stringContaining('must be an array') }]);
  });

  it('reports Liquid syntax errors with the path of the string and the line and column', () => {
    const problems = checkTemplate({
      text: 'ok',
      blocks: [{ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: 'Hi\n{% if data.x %}open' } }],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('/blocks/1/text/text');
    expect(problems[0].message).toMatch(/not closed, line:2, col:1/);
  });

  it('reports unknown filters', () => {
    expect(checkTemplate({ text: '{{ data.name | shout }}' })).toEqual([{ path: '/text', message: expect.stringContaining('undefined filter: shout') }]);
  });

  it('refuses tags that read files', () => {
    const problems = checkTemplate({ text: '{% include "package.json" %}{% render "x" %}' });
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/include/);
  });

  it('reports bad directive shapes', () => {
    const problems = checkTemplate({
      text: 'x',
      blocks: [
        { $each: '{{ data.items }}', template: { type: 'divider' } },
        { $each: 'data.items', as: 'data', template: { type: 'divider' } },
        { $each: 'data.items' },
        { $if: 'data.flag' },
        { $if: 'data.flag', then: { type: 'divider' }, otherwise: {} },
        { type: 'section', text: { $each: 'data.x', template: 'y' } },
        { $for: 'data.items' },
      ],
    });
    expect(problems).toEqual([
      { path: '/blocks/0/$each', message: expect.stringContaining('dotted variable path') },
      { path: '/blocks/1/as', message: expect.stringContaining('must not hide the built-in variable "data"') },
      { path: '/blocks/2', message: expect.stringContaining('missing required field: template') },
      { path: '/blocks/3', message: expect.stringContaining('missing required field: then') },
      { path: '/blocks/4/otherwise', message: expect.stringContaining('unknown field') },
      { path: '/blocks/5/text', message: expect.stringContaining('only be used as an array element') },
      { path: '/blocks/6/$for', message: expect.stringContaining('unknown directive') },
    ]);
  });

  it('reports Block Kit mistakes in the fixed parts, with template paths through directives', () => {
    const problems = checkTemplate({
      text: 'x',
      blocks: [
        { type: 'sections' },
        { type: 'header', text: { type: 'mrkdwn', text: 'Title' } },
        { $each: 'data.rows', template: { type: 'section' } },
        { $if: 'data.flag', then: { type: 'divider' }, else: { type: 'image', image_url: 'https://example.com/a.png' } },
      ],
    });
    expect(problems).toEqual([
      { path: '/blocks/0/type', message: 'unsupported type: sections' },
      { path: '/blocks/1/text/type', message: 'must be a valid enum value' },
      { path: '/blocks/2/template', message: 'must provide either text or fields' },
      { path: '/blocks/3/else', message: 'missing required field: alt_text' },
    ]);
  });

  it('does not report what only data decides: dynamic values and list lengths', () => {
    const fields = Array.from({ length: 15 }, (_, i) => ({ type: 'mrkdwn', text: `f${i}` }));
    expect(
      checkTemplate({
        text: 'x',
        blocks: [
          { type: '{{ data.kind }}' },
          { type: 'section', fields },
          { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Go' }, style: '{{ data.style }}', url: '{{ data.url }}' }] },
        ],
      }),
    ).toEqual([]);
  });
});
