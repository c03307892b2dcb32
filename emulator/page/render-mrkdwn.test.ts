import { describe, expect, it } from 'vitest';
import { mrkdwnToHtml, plainTextToHtml } from './render-mrkdwn.ts';

const lookup = { userName: (id: string) => (id === 'U1' ? 'alice' : undefined), channelName: (id: string) => (id === 'C1' ? 'general' : undefined) };

describe('mrkdwnToHtml: escaping', () => {
  it('never turns text into markup', () => {
    const html = mrkdwnToHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> "quotes" & \'apostrophes\'');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quotes&quot; &amp; &#39;apostrophes&#39;');
  });

  it("shows Slack's escaped &lt; &gt; &amp; as the characters they stand for", () => {
    expect(mrkdwnToHtml('a &lt;b&gt; &amp; c')).toBe('a &lt;b&gt; &amp; c');
    // ...and a double-escaped entity stays visible as text, not as a tag
    expect(mrkdwnToHtml('&amp;lt;b&amp;gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('keeps javascript: and data: links as text', () => {
    expect(mrkdwnToHtml('<javascript:alert(1)|click>')).toBe('&lt;javascript:alert(1)|click&gt;');
    expect(mrkdwnToHtml('<data:text/html,hi>')).not.toContain('href');
  });

  it('escapes a link label and quotes in its url', () => {
    const html = mrkdwnToHtml('<https://e.test/?q="x"|<b>label</b>>');
    expect(html).not.toContain('<b>label');
    expect(mrkdwnToHtml('<https://e.test/a"onmouseover="x|go>')).toContain('href="https://e.test/a&quot;onmouseover=&quot;x"');
  });
});

describe('mrkdwnToHtml: formatting', () => {
  it('bold, italic, strike and inline code', () => {
    expect(mrkdwnToHtml('*bold* _italic_ ~strike~ `code`')).toBe('<b>bold</b> <i>italic</i> <s>strike</s> <code>code</code>');
  });

  it('does not format inside words or code', () => {
    expect(mrkdwnToHtml('snake_case_name 2*3*4')).toBe('snake_case_name 2*3*4');
    expect(mrkdwnToHtml('`*not bold*`')).toBe('<code>*not bold*</code>');
    expect(mrkdwnToHtml('* not bold *')).toBe('* not bold *');
  });

  it('code blocks keep their text and line breaks unformatted', () => {
    expect(mrkdwnToHtml('before\n```\nconst a = *b*;\n<tag>\n```\nafter')).toBe('before<pre>const a = *b*;\n&lt;tag&gt;</pre>after');
  });

  it('quotes consecutive > lines (raw or escaped as &gt;) into one blockquote', () => {
    expect(mrkdwnToHtml('intro\n> one\n&gt; *two*\noutro')).toBe('intro<blockquote>one<br><b>two</b></blockquote>outro');
  });

  it('turns newlines into line breaks', () => {
    expect(mrkdwnToHtml('a\nb\n\nc')).toBe('a<br>b<br><br>c');
  });
});

describe('mrkdwnToHtml: links, mentions, emoji', () => {
  it('links with and without a label', () => {
    expect(mrkdwnToHtml('<https://e.test/x?a=1&amp;b=2|Open it>')).toBe(
      '<a href="https://e.test/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">Open it</a>',
    );
    expect(mrkdwnToHtml('<mailto:ops@e.test>')).toContain('>mailto:ops@e.test</a>');
  });

  it('user mentions by lookup, then label, then id', () => {
    expect(mrkdwnToHtml('<@U1> <@U2|bob> <@U3>', lookup)).toBe(
      '<span class="mention mention-user">@alice</span> <span class="mention mention-user">@bob</span> <span class="mention mention-user">@U3</span>',
    );
  });

  it('channel mentions and broadcasts', () => {
    expect(mrkdwnToHtml('<#C1> <#C2|random> <!here> <!channel> <!subteam^S1|@oncall>', lookup)).toBe(
      [
        '<span class="mention mention-channel">#general</span>',
        '<span class="mention mention-channel">#random</span>',
        '<span class="mention mention-broadcast">@here</span>',
        '<span class="mention mention-broadcast">@channel</span>',
        '<span class="mention mention-special">@oncall</span>',
      ].join(' '),
    );
  });

  it('draws common emoji shortcodes and leaves the rest as text', () => {
    expect(mrkdwnToHtml(':white_check_mark: :rocket: :tada: :rotating_light: :zap: :bell: :warning: :fire: :unknown_one:')).toBe(
      '✅ 🚀 🎉 🚨 ⚡ 🔔 ⚠️ 🔥 :unknown_one:',
    );
  });

  it('formats around mentions and links', () => {
    expect(mrkdwnToHtml('*Approved by <@U1>*', lookup)).toBe('<b>Approved by <span class="mention mention-user">@alice</span></b>');
  });
});

describe('plainTextToHtml', () => {
  it('escapes, keeps newlines, and draws emoji unless emoji is false', () => {
    expect(plainTextToHtml('*not bold* <b>\n:tada:')).toBe('*not bold* &lt;b&gt;<br>🎉');
    expect(plainTextToHtml(':tada:', false)).toBe(':tada:');
  });
});
