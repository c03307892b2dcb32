import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mrkdwnOutputEscape, SafeMrkdwn } from './mrkdwn-escape.ts';

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and > as Slack asks', () => {
    expect(escapeMrkdwn(`<!channel> & "quotes" 'single'`)).toBe(`&lt;!channel&gt; &amp; "quotes" 'single'`);
  });

  it('escapes an already escaped entity again, so readers see what was sent', () => {
    expect(escapeMrkdwn('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('defuses bare broadcast words without changing what readers see', () => {
    const escaped = escapeMrkdwn('ping @channel and @HERE, mail bob@everyone.example');
    expect(escaped).not.toMatch(/@(channel|here)\b/i);
    expect(escaped.replace(/\u2060/g, '')).toBe('ping @channel and @HERE, mail bob@everyone.example');
  });
});

describe('mrkdwnOutputEscape', () => {
  it('passes markup built by a safe filter through and escapes everything else', () => {
    expect(mrkdwnOutputEscape(new SafeMrkdwn('<@U0123ABCD>'))).toBe('<@U0123ABCD>');
    expect(mrkdwnOutputEscape('<@U0123ABCD>')).toBe('&lt;@U0123ABCD&gt;');
    expect(mrkdwnOutputEscape(null)).toBe('');
    expect(mrkdwnOutputEscape(42)).toBe('42');
  });
});
