import { describe, expect, it } from 'vitest';
import { charCount } from '../slack/block-kit/limits.ts';
import { truncateMrkdwn, truncateText } from './truncate-text.ts';

describe('truncateText', () => {
  it('leaves text within the limit untouched', () => {
    expect(truncateText('hello', 5)).toBe('hello');
  });

  it('cuts to the limit including the ellipsis', () => {
    const cut = truncateText('abcdefghij', 6);
    expect(cut).toBe('abcde…');
    expect(charCount(cut)).toBe(6);
  });

  it('counts emoji as one character and never splits one', () => {
    const cut = truncateText('😀'.repeat(10), 4);
    expect(cut).toBe('😀😀😀…');
  });

  it('does not leave a space before the ellipsis', () => {
    expect(truncateText('one two three', 9)).toBe('one two…');
  });

  it('accepts another ellipsis, including none', () => {
    expect(truncateText('abcdefghij', 6, '...')).toBe('abc...');
    expect(truncateText('abcdefghij', 3, '')).toBe('abc');
  });
});

describe('truncateMrkdwn', () => {
  it('drops a link that would be cut in half instead of leaving broken markup', () => {
    const text = 'see <https://example.com/a/very/long/path|the report> now';
    const cut = truncateMrkdwn(text, 20);
    expect(cut).toBe('see…');
  });

  it('drops an entity that would be cut in half', () => {
    expect(truncateMrkdwn('Tom &amp; Jerry', 7)).toBe('Tom…');
  });

  it('keeps complete links and entities before the cut', () => {
    expect(truncateMrkdwn('<@U0123ABCD> &amp; friends went home', 20)).toBe('<@U0123ABCD> &amp;…');
  });
});
