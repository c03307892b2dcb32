import { describe, expect, it } from 'vitest';
import { renderMessage } from './render-message.ts';

/** Renders one Liquid expression as the fallback text (a mrkdwn position). */
function mrkdwn(expression: string, data: Record<string, unknown> = {}): string {
  return renderMessage(
    { text: `[${expression}]` },
    { event: { type: 't', severity: 'critical', occurred_at: '2026-01-06T09:15:00Z' }, data, project: { name: 'P' } },
  ).text.slice(1, -1);
}

describe('mrkdwn_link', () => {
  it('builds <url|label> with both parts escaped', () => {
    expect(mrkdwn('{{ data.url | mrkdwn_link: data.label }}', { url: 'https://example.com/a?x=1&y=2', label: '<!channel> & co' })).toBe(
      '<https://example.com/a?x=1&amp;y=2|&lt;!channel&gt; &amp; co>',
    );
  });

  it('keeps a "|" or ">" in the URL from ending the link early', () => {
    expect(mrkdwn('{{ data.url | mrkdwn_link: "x" }}', { url: 'https://example.com/a|b>c' })).toBe('<https://example.com/a%7Cb%3Ec|x>');
  });

  it('links the bare URL when there is no label', () => {
    expect(mrkdwn('{{ data.url | mrkdwn_link }}', { url: 'https://example.com/' })).toBe('<https://example.com/>');
  });

  it.each(['javascript:alert(1)', 'ftp://example.com/file', 'not a url', '', 'slack://channel?id=C1'])(
    'shows only the escaped label for %j, never a link',
    (url) => {
      expect(mrkdwn('{{ data.url | mrkdwn_link: "Open <it>" }}', { url })).toBe('Open &lt;it&gt;');
    },
  );
});

describe('user_mention', () => {
  it('mentions a valid user id', () => {
    expect(mrkdwn('{{ data.id | user_mention }}', { id: 'U0123ABCD' })).toBe('<@U0123ABCD>');
    expect(mrkdwn('{{ data.id | user_mention }}', { id: 'W0123ABCD' })).toBe('<@W0123ABCD>');
  });

  it.each(['!channel', '<!here>', 'u0123abcd', 'C0123ABCD', 'U0123ABCD> <!channel', 'Sarah'])('leaves %j as escaped text', (id) => {
    const out = mrkdwn('{{ data.id | user_mention }}', { id });
    expect(out).not.toMatch(/<[@!]/);
  });
});

describe('other filters', () => {
  it('date prints UTC whatever the server time zone', () => {
    expect(mrkdwn('{{ event.occurred_at | date: "%Y-%m-%d %H:%M" }}')).toBe('2026-01-06 09:15');
  });

  it('slack_date lets Slack show each reader their local time, with a UTC fallback', () => {
    expect(mrkdwn('{{ event.occurred_at | slack_date }}')).toBe('<!date^1767690900^{date_short_pretty} at {time}|2026-01-06 09:15 UTC>');
    expect(mrkdwn('{{ data.t | slack_date: "{date_long}" }}', { t: 1767690900 })).toBe('<!date^1767690900^{date_long}|2026-01-06 09:15 UTC>');
    expect(mrkdwn('{{ data.t | slack_date }}', { t: 'soon <!here>' })).toBe('soon &lt;!here&gt;');
  });

  it('truncate counts characters and ends with "…"', () => {
    expect(mrkdwn('{{ data.v | truncate: 5 }}', { v: '🚀🚀🚀🚀🚀🚀' })).toBe('🚀🚀🚀🚀…');
    expect(mrkdwn('{{ data.v | truncate: 5 }}', { v: 'short' })).toBe('short');
  });

  it('plural picks the word for the count, and counts lists', () => {
    expect(mrkdwn('{{ data.n }} {{ data.n | plural: "meeting" }}', { n: 1 })).toBe('1 meeting');
    expect(mrkdwn('{{ data.n }} {{ data.n | plural: "meeting" }}', { n: 3 })).toBe('3 meetings');
    expect(mrkdwn('{{ data.n | plural: "person", "people" }}', { n: 2 })).toBe('people');
    expect(mrkdwn('{{ data.list | plural: "item" }}', { list: ['a'] })).toBe('item');
  });

  it('severity_emoji shows the severity at a glance', () => {
    expect(mrkdwn('{{ event.severity | severity_emoji }}')).toBe('🔴');
    expect(mrkdwn('{{ data.s | severity_emoji }}', { s: 'bogus' })).toBe('');
  });
});
