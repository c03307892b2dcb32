/**
 * Slack mrkdwn → safe HTML for the emulator page: *bold*, _italic_, ~strike~, `code`, ```pre```,
 * > quotes, <url|links>, <@U…> / <#C…> / <!here> mentions, a few emoji shortcodes, newlines.
 *
 * Slack text arrives with only &, < and > escaped, as &amp; &lt; &gt;, because those three are
 * Slack's control characters (docs.slack.dev/messaging/formatting-message-text#escaping); a
 * literal `<…>` is a link or mention token. So tokens are cut out first, the three entities are
 * decoded, and then everything is HTML-escaped before any markup is added.
 */
import { escapeHtml, safeUrl } from './escape-html.ts';

export interface MentionLookup {
  /** Display name for a user id, if known. */
  userName?(id: string): string | undefined;
  /** Channel name for a channel id, if known. */
  channelName?(id: string): string | undefined;
}

/** The handful of shortcodes the page draws; other :codes: stay as text. */
export const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  rocket: '🚀',
  tada: '🎉',
  rotating_light: '🚨',
  zap: '⚡',
  bell: '🔔',
  warning: '⚠️',
  fire: '🔥',
  eyes: '👀',
  thumbsup: '👍',
  '+1': '👍',
  wave: '👋',
  hourglass: '⌛',
  lock: '🔒',
  trophy: '🏆',
  red_circle: '🔴',
  large_green_circle: '🟢',
  information_source: 'ℹ️',
};

const HOLD = '\u0000';

/** Cut-out fragments of finished HTML, put back after inline formatting. */
class Held {
  private readonly parts: string[] = [];
  hold(html: string): string {
    this.parts.push(html);
    return `${HOLD}${this.parts.length - 1}${HOLD}`;
  }
  restore(text: string): string {
    // Held parts can contain other held parts (a link label), so restore until none remain.
    let out = text;
    const marker = new RegExp(`${HOLD}(\\d+)${HOLD}`, 'g');
    while (marker.test(out)) out = out.replace(marker, (_, i: string) => this.parts[Number(i)]!);
    return out;
  }
}

function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Escapes plain text as Slack shows it: entities decoded, then HTML-escaped. */
function plainRun(text: string): string {
  return escapeHtml(decodeSlackEntities(text));
}

export function emojify(html: string): string {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

function mention(kind: string, label: string): string {
  return `<span class="mention mention-${kind}">${escapeHtml(label)}</span>`;
}

/** One `<…>` token: a link, a user/channel/group mention, a broadcast or a date. */
function renderToken(body: string, lookup: MentionLookup): string {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : decodeSlackEntities(body.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return mention('user', `@${lookup.userName?.(id) ?? label ?? id}`);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return mention('channel', `#${lookup.channelName?.(id) ?? label ?? id}`);
  }
  if (target.startsWith('!')) {
    const command = target.slice(1);
    if (command === 'here' || command === 'channel' || command === 'everyone') return mention('broadcast', `@${command}`);
    // <!subteam^S123|@team>, <!date^1392734382^{date}|fallback>: Slack shows the label.
    return mention('special', label ?? command);
  }
  const url = safeUrl(decodeSlackEntities(target));
  if (url) return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label ?? url)}</a>`;
  return plainRun(`<${body}>`);
}

/** Bold, italic and strike need a non-word character (or the edge) on the outside, as in Slack. */
function formatInline(html: string): string {
  const wrap = (marker: string, tag: string) => {
    const m = `\\${marker}`;
    const pattern = new RegExp(`(^|[^\\w${m}])${m}(?=\\S)([^${m}\\n]*?\\S)${m}(?![\\w${m}])`, 'g');
    return (text: string) => text.replace(pattern, `$1<${tag}>$2</${tag}>`);
  };
  let out = html;
  out = wrap('*', 'b')(out);
  out = wrap('_', 'i')(out);
  out = wrap('~', 's')(out);
  return out;
}

/** One line (or a run without newlines) of mrkdwn with code spans and tokens already held. */
function renderInline(text: string, held: Held, lookup: MentionLookup): string {
  let withHolds = text.replace(/`([^`\n]+)`/g, (_, code: string) => held.hold(`<code>${plainRun(code)}</code>`));
  withHolds = withHolds.replace(/<([^<>\n]+)>/g, (_, body: string) => held.hold(renderToken(body, lookup)));
  // HOLD markers and digits survive escaping unchanged.
  return formatInline(emojify(plainRun(withHolds)));
}

/** Lines of mrkdwn (no code blocks): consecutive "> " lines become one blockquote. */
function renderLines(text: string, held: Held, lookup: MentionLookup): string {
  const parts: string[] = [];
  let quote: string[] = [];
  let pendingBreak = false;
  const push = (html: string) => {
    parts.push(pendingBreak ? `<br>${html}` : html);
    pendingBreak = true;
  };
  const flushQuote = () => {
    if (!quote.length) return;
    // A blockquote is a block of its own: no line break before or after it.
    parts.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
    pendingBreak = false;
  };
  for (const line of text.split('\n')) {
    // Slack quotes a line that starts with ">" (sent escaped as "&gt;")
    const quoted = /^(?:>|&gt;)\s?(.*)$/.exec(line);
    if (quoted) {
      quote.push(renderInline(quoted[1]!, held, lookup));
      continue;
    }
    flushQuote();
    push(renderInline(line, held, lookup));
  }
  flushQuote();
  return parts.join('');
}

export function mrkdwnToHtml(text: string, lookup: MentionLookup = {}): string {
  const held = new Held();
  const source = String(text ?? '').replaceAll(HOLD, '');
  // Code blocks first: nothing inside them is formatted. split() with a capture group alternates
  // text, code, text, code...
  const segments = source.split(/```([\s\S]*?)```/);
  const html = segments
    .map((segment, i) => {
      if (i % 2 === 1) return `<pre>${plainRun(segment.replace(/^\n/, '').replace(/\n$/, ''))}</pre>`;
      // Newlines touching a code block belong to the block, not to the text.
      let trimmed = segment;
      if (i > 0 && trimmed.startsWith('\n')) trimmed = trimmed.slice(1);
      if (i < segments.length - 1 && trimmed.endsWith('\n')) trimmed = trimmed.slice(0, -1);
      return trimmed === '' ? '' : renderLines(trimmed, held, lookup);
    })
    .join('');
  return held.restore(html);
}

/** plain_text objects: escaped, newlines kept, emoji drawn unless `emoji: false`. */
export function plainTextToHtml(text: string, emoji = true): string {
  const html = escapeHtml(text).replace(/\n/g, '<br>');
  return emoji ? emojify(html) : html;
}
