import { describe, expect, it } from 'vitest';
import { attachmentColour, renderAttachments, renderBlocks, renderMessageBody } from './render-blocks.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const EVIL = '<script>alert(1)</script>';

describe('renderBlocks: each block type', () => {
  it('header: plain text, not mrkdwn', () => {
    expect(renderBlocks([{ type: 'header', text: plain('Deploy *done* :rocket:') }])).toContain('<div class="bk-header">Deploy *done* 🚀</div>');
  });

  it('section: mrkdwn text, two-column fields and an accessory', () => {
    const html = renderBlocks([
      { type: 'section', text: mrkdwn('*Hi*'), fields: [mrkdwn('*A*\n1'), plain('B')], accessory: { type: 'button', text: plain('Open'), action_id: 'o' } },
    ]);
    expect(html).toContain('<div class="bk-text"><b>Hi</b></div>');
    expect(html).toContain('<div class="bk-fields"><div class="bk-field"><b>A</b><br>1</div><div class="bk-field">B</div></div>');
    expect(html).toContain('<div class="bk-accessory"><button type="button" class="bk-button" disabled>Open</button></div>');
  });

  it('buttons: primary green, danger red, url buttons as links', () => {
    const html = renderBlocks([
      {
        type: 'actions',
        elements: [
          { type: 'button', text: plain('Approve'), style: 'primary' },
          { type: 'button', text: plain('Reject'), style: 'danger' },
          { type: 'button', text: plain('Docs'), url: 'https://e.test/docs' },
          { type: 'button', text: plain('Bad'), url: 'javascript:alert(1)' },
        ],
      },
    ]);
    expect(html).toContain('class="bk-button bk-primary" disabled>Approve</button>');
    expect(html).toContain('class="bk-button bk-danger" disabled>Reject</button>');
    expect(html).toContain('<a class="bk-button" href="https://e.test/docs"');
    expect(html).not.toContain('javascript:');
  });

  it('selects and pickers show their placeholder or current value in a box', () => {
    const html = renderBlocks([
      {
        type: 'actions',
        elements: [
          { type: 'static_select', placeholder: plain('Pick one'), options: [{ text: plain('A'), value: 'a' }] },
          { type: 'static_select', placeholder: plain('Pick one'), initial_option: { text: plain('Chosen'), value: 'c' }, options: [] },
          { type: 'users_select', placeholder: plain('Someone') },
          { type: 'datepicker', initial_date: '2026-01-02' },
          { type: 'overflow', options: [] },
        ],
      },
    ]);
    expect(html).toContain('<span class="bk-placeholder">Pick one</span>');
    expect(html).toContain('<span class="bk-box-text">Chosen</span>');
    expect(html).toContain('<span class="bk-placeholder">Someone</span>');
    expect(html).toContain('2026-01-02');
    expect(html).toContain('⋯');
  });

  it('checkboxes and radio buttons list their options with the selected ones marked', () => {
    const options = [{ text: mrkdwn('*One*'), value: '1' }, { text: plain('Two'), value: '2' }];
    const html = renderBlocks([
      { type: 'actions', elements: [{ type: 'checkboxes', options, initial_options: [options[1]] }, { type: 'radio_buttons', options, initial_option: options[0] }] },
    ]);
    expect(html).toContain('<li><span class="bk-mark">☐</span><span><b>One</b></span></li><li><span class="bk-mark">☑</span><span>Two</span></li>');
    expect(html).toContain('<li><span class="bk-mark">◉</span><span><b>One</b></span></li><li><span class="bk-mark">○</span><span>Two</span></li>');
  });

  it('context: small images and text together', () => {
    const html = renderBlocks([{ type: 'context', elements: [{ type: 'image', image_url: 'https://e.test/a.png', alt_text: 'logo' }, mrkdwn('by *bot*')] }]);
    expect(html).toContain('<div class="bk-context"><img class="bk-context-image" src="https://e.test/a.png" alt="logo"');
    expect(html).toContain('<span class="bk-context-text">by <b>bot</b></span>');
  });

  it('divider and image with its title', () => {
    expect(renderBlocks([{ type: 'divider' }])).toContain('<hr class="bk-divider">');
    const html = renderBlocks([{ type: 'image', image_url: 'https://e.test/chart.png', alt_text: 'chart', title: plain('Weekly') }]);
    expect(html).toContain('<div class="bk-image-title">Weekly</div><img class="bk-image-img" src="https://e.test/chart.png" alt="chart"');
  });

  it('images from other schemes are not loaded; the alt text shows instead', () => {
    const html = renderBlocks([{ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'a chart' }]);
    expect(html).not.toContain('<img');
    expect(html).toContain('a chart');
  });

  it('input: label, box with placeholder, hint and optional marker', () => {
    const html = renderBlocks([{ type: 'input', label: plain('Reason'), optional: true, hint: plain('Be brief'), element: { type: 'plain_text_input', multiline: true, placeholder: plain('Why?') } }]);
    expect(html).toContain('<div class="bk-label">Reason <span class="bk-optional">(optional)</span></div>');
    expect(html).toContain('<span class="bk-text-input bk-multiline"><span class="bk-placeholder">Why?</span></span>');
    expect(html).toContain('<div class="bk-hint">Be brief</div>');
  });

  it('rich_text: styled text, links, mentions, lists, quotes and preformatted', () => {
    const html = renderBlocks(
      [
        {
          type: 'rich_text',
          elements: [
            { type: 'rich_text_section', elements: [{ type: 'text', text: 'Hi ', style: { bold: true } }, { type: 'user', user_id: 'U1' }, { type: 'emoji', name: 'tada' }] },
            { type: 'rich_text_list', style: 'ordered', elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url: 'https://e.test', text: 'site' }] }] },
            { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
            { type: 'rich_text_preformatted', elements: [{ type: 'text', text: EVIL }] },
          ],
        },
      ],
      { userName: () => 'alice' },
    );
    expect(html).toContain('<div class="rt-section"><b>Hi </b><span class="mention mention-user">@alice</span>🎉</div>');
    expect(html).toContain('<ol class="rt-list"><li><a href="https://e.test"');
    expect(html).toContain('<blockquote>quoted</blockquote>');
    expect(html).toContain('<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>');
  });

  it('file, video and markdown blocks', () => {
    expect(renderBlocks([{ type: 'file', external_id: 'F1', source: 'remote' }])).toContain('Remote file <code>F1</code>');
    expect(renderBlocks([{ type: 'video', title: plain('Demo'), video_url: 'https://e.test/v', thumbnail_url: 'https://e.test/t.png', alt_text: 'demo' }])).toContain('▶ <a href="https://e.test/v"');
    expect(renderBlocks([{ type: 'markdown', text: '## Title\n**bold** [site](https://e.test)' }])).toContain('<b>Title</b><br><b>bold</b> <a href="https://e.test"');
  });

  it('names an unknown block instead of dropping it silently', () => {
    expect(renderBlocks([{ type: 'carousel' }])).toContain('[unsupported block: carousel]');
  });

  it('escapes every string that reaches an attribute or text', () => {
    const html = renderBlocks([
      { type: 'header', text: plain(EVIL) },
      { type: 'section', text: plain(EVIL), accessory: { type: 'image', image_url: 'https://e.test/a.png', alt_text: '"><script>x</script>' } },
      { type: 'actions', elements: [{ type: 'button', text: plain(EVIL) }, { type: 'static_select', placeholder: plain(EVIL) }] },
      { type: 'context', elements: [mrkdwn(EVIL)] },
    ]);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('alt="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });
});

describe('attachments', () => {
  it('draw a colour bar from good / warning / danger or hex', () => {
    expect(attachmentColour('good')).toBe('#2eb886');
    expect(attachmentColour('danger')).toBe('#a30200');
    expect(attachmentColour('36a64f')).toBe('#36a64f');
    expect(attachmentColour('#FFF')).toBe('#FFF');
    expect(attachmentColour('red;background:url(x)')).toBe('#dddddd');
  });

  it('show pretext, title link, text, short fields and footer', () => {
    const html = renderAttachments([
      { color: 'warning', pretext: 'Heads up', title: 'Incident', title_link: 'https://e.test/i', text: '_degraded_', fields: [{ title: 'Sev', value: '2', short: true }], footer: 'pager' },
    ]);
    expect(html).toMatch(/^<div class="bk-text">Heads up<\/div><div class="attachment" style="border-left-color:#daa038">/);
    expect(html).toContain('<a href="https://e.test/i"');
    expect(html).toContain('<i>degraded</i>');
    expect(html).toContain('<div class="att-field att-field-short"><div class="att-field-title">Sev</div><div>2</div></div>');
    expect(html).toContain('<div class="att-footer">pager</div>');
  });
});

describe('renderMessageBody', () => {
  it('shows the text when there are no blocks, and only the blocks when there are', () => {
    expect(renderMessageBody({ text: 'fallback *text*' })).toBe('<div class="bk-text">fallback <b>text</b></div>');
    const withBlocks = renderMessageBody({ text: 'fallback only', blocks: [{ type: 'section', text: mrkdwn('shown') }] });
    expect(withBlocks).toContain('shown');
    expect(withBlocks).not.toContain('fallback only');
  });

  it('puts a suffix such as (edited) after the text', () => {
    expect(renderMessageBody({ text: 'hi' }, { suffix: '<span class="edited">(edited)</span>' })).toBe('<div class="bk-text">hi <span class="edited">(edited)</span></div>');
  });

  it('puts (edited) inside a quote that ends the text', () => {
    expect(renderMessageBody({ text: 'a\n> quoted' }, { suffix: '(edited)' })).toBe('<div class="bk-text">a<blockquote>quoted (edited)</blockquote></div>');
  });

  it('renders attachments after the body, with no empty text when text is empty', () => {
    const html = renderMessageBody({ text: '', attachments: [{ color: 'good', text: 'ok' }] });
    expect(html).toMatch(/^<div class="attachment"/);
  });
});
