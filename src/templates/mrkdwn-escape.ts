/**
 * Escaping for Slack mrkdwn, the markup Slack interprets in `mrkdwn` text objects and in a message's
 * top-level `text`. Slack's rule: "Slack uses &, <, and > as control characters for special parsing
 * in text objects, so they must be converted to HTML entities ... You shouldn't HTML entity-encode
 * the entire text" [docs.slack.dev/messaging/formatting-message-text#escaping].
 * So `<!channel>`, `<@U123>` or `<https://evil|click>` coming from event data cannot ping or link.
 */
import { Drop } from 'liquidjs';

/**
 * A string that is already valid, intended mrkdwn (a link or mention built by one of our filters,
 * or a value the template author opted out with `| raw_mrkdwn`). The output escape passes it through.
 * A Drop so Liquid filters that transform it (append, truncate...) get the plain string back, and the
 * result is escaped again: only the untouched output of a safe filter stays unescaped.
 */
export class SafeMrkdwn extends Drop {
  constructor(readonly mrkdwn: string) {
    super();
  }
  override valueOf(): string {
    return this.mrkdwn;
  }
  override toString(): string {
    return this.mrkdwn;
  }
}

const CONTROL = /[&<>]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

// With `verbatim: false` (the default) Slack says "certain mentions will be automatically parsed"
// [docs.slack.dev/reference/block-kit/composition-objects/text-object]; a word joiner after "@" keeps a
// bare "@channel" / "@here" / "@everyone" in event data from ever becoming a broadcast. Invisible to readers.
const BARE_BROADCAST = /@(?=(?:channel|here|everyone)\b)/gi;
const WORD_JOINER = '\u2060';
const NEEDS_WORK = /[&<>@]/;

/** Escapes &, < and > (and defuses bare broadcast words) in text that came from event data. */
export function escapeMrkdwn(text: string): string {
  if (!NEEDS_WORK.test(text)) return text; // most values: one scan, no copies
  return text.replace(CONTROL, (c) => ENTITY[c]).replace(BARE_BROADCAST, '@' + WORD_JOINER);
}

/** Liquid's stringification: null/undefined → '', arrays joined, everything else String(). */
export function liquidString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Drop) {
    const inner: unknown = value.valueOf();
    return inner === value ? String(value) : liquidString(inner);
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(liquidString).join('');
  return String(value);
}

/** The output escape applied to every `{{ }}` in mrkdwn positions. */
export function mrkdwnOutputEscape(value: unknown): string {
  if (value instanceof SafeMrkdwn) return value.mrkdwn;
  return escapeMrkdwn(liquidString(value));
}
