/**
 * Truncation to a Slack length limit with an ellipsis. Slack counts limits in characters, so we cut
 * on code points (an emoji is never split in half) and the result, ellipsis included, fits the limit.
 * The mrkdwn variant never cuts inside a `<...>` link/mention or an `&amp;` entity: half a link is shown
 * to readers as broken markup, so the whole token goes.
 */
import { charCount } from '../slack/block-kit/limits.ts';

export const ELLIPSIS = '…';

/** Cuts `text` to at most `max` characters, ending with `ellipsis` when anything was cut. */
export function truncateText(text: string, max: number, ellipsis: string = ELLIPSIS): string {
  // Fast path: UTF-16 length is an upper bound of the character count.
  if (text.length <= max || charCount(text) <= max) return text;
  const room = max - charCount(ellipsis);
  if (room <= 0) return codePointPrefix(ellipsis, max);
  return codePointPrefix(text, room).trimEnd() + ellipsis;
}

/** Like truncateText, but backs off so no mrkdwn token (`<...>`, `&...;`) is cut in half. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max || charCount(text) <= max) return text;
  let kept = codePointPrefix(text, Math.max(0, max - 1));
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>')) kept = kept.slice(0, open);
  const amp = kept.lastIndexOf('&');
  // The entities we emit are at most 5 characters long (&amp;).
  if (amp >= 0 && amp > kept.lastIndexOf(';') && kept.length - amp < 5) kept = kept.slice(0, amp);
  return kept.trimEnd() + ELLIPSIS;
}

function codePointPrefix(text: string, count: number): string {
  let end = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen === count) break;
    end += ch.length;
    seen++;
  }
  return text.slice(0, end);
}
