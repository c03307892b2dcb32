/**
 * One message on the emulator page, drawn as the Slack client draws it: a square avatar, the
 * author in bold with an APP badge for bots, the time, the body, "(edited)" after an edit, an
 * "Only visible to you" label on ephemeral messages, and under a thread parent a summary
 * ("3 replies") followed by the replies themselves, indented.
 */
import { escapeHtml } from './escape-html.ts';
import type { PageMessage } from './page-source.ts';
import { renderMessageBody } from './render-blocks.ts';
import { type MentionLookup, mrkdwnToHtml } from './render-mrkdwn.ts';

const AVATAR_COLOURS = ['#e01e5a', '#2eb67d', '#36c5f0', '#ecb22e', '#4a154b', '#1264a3', '#e8912d', '#7c3085', '#007a5a', '#d93f0b'];

function avatar(name: string): string {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.codePointAt(0)!) >>> 0;
  const colour = AVATAR_COLOURS[hash % AVATAR_COLOURS.length];
  const initial = [...name.trim()][0]?.toUpperCase() ?? '?';
  return `<div class="avatar" style="background:${colour}" aria-hidden="true">${escapeHtml(initial)}</div>`;
}

/** Slack ts "1712345678.000100" → Date (seconds since the epoch, microsecond sequence after the dot). */
export function tsToDate(ts: string): Date {
  return new Date(Math.floor(Number(ts) * 1000));
}

/** Orders Slack timestamps exactly (no float rounding of the microsecond part). */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  const seconds = Number(as) - Number(bs);
  if (seconds !== 0) return seconds;
  return af.padEnd(6, '0').localeCompare(bf.padEnd(6, '0'));
}

// Rendered in UTC on the server; the page's script rewrites every <time> in the reader's own zone,
// as the Slack client shows times in the viewer's local time.
const TIME = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });

function time(ts: string, className: string): string {
  const date = tsToDate(ts);
  if (Number.isNaN(date.getTime())) return '';
  return `<time class="${className}" datetime="${date.toISOString()}" title="${escapeHtml(ts)}">${TIME.format(date)} UTC</time>`;
}

function replyCount(n: number): string {
  return n === 1 ? '1 reply' : `${n} replies`;
}

/** A short plain excerpt of a parent message for "replied to a thread: …". */
function excerpt(message: PageMessage): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export interface MessageContext {
  lookup: MentionLookup;
}

interface MessageOptions {
  /** Drawn inside a thread (smaller, no summary). */
  inThread?: boolean;
  /** A reply_broadcast reply shown in the channel: the parent it answered. */
  repliedTo?: PageMessage;
}

/**
 * A deleted message that still has a thread stays as a tombstone with no author, as in Slack
 * ("This message was deleted."), so its replies keep their place.
 */
function renderTombstone(message: PageMessage, ctx: MessageContext): string {
  const id = `msg-${escapeHtml(message.ts.replace('.', '-'))}`;
  return `<div class="message tombstone" id="${id}" data-ts="${escapeHtml(message.ts)}"><div class="avatar avatar-tombstone" aria-hidden="true">🗑</div><div class="message-main"><div class="message-body tombstone-text">${escapeHtml(message.text)}</div>${renderThread(message, ctx)}</div></div>`;
}

export function renderMessage(message: PageMessage, ctx: MessageContext, options: MessageOptions = {}): string {
  if (!message.author.trim() && !options.inThread) return renderTombstone(message, ctx);
  const classes = ['message'];
  if (message.ephemeralFor) classes.push('ephemeral');
  // A broadcast reply drawn in the channel is a channel message; the same reply in its thread is not.
  const inThreadPane = options.inThread && !options.repliedTo;
  if (inThreadPane) classes.push('reply');

  const labels: string[] = [];
  if (message.ephemeralFor) {
    // Slack marks an ephemeral message "Only visible to you"; the page also says who "you" is.
    const to = ctx.lookup.userName?.(message.ephemeralFor) ?? message.ephemeralFor;
    labels.push(`<div class="ephemeral-label">👁 Only visible to you <span class="to">(${escapeHtml(to)})</span></div>`);
  }
  if (options.repliedTo) {
    labels.push(`<div class="broadcast-label">replied to a thread: ${mrkdwnToHtml(excerpt(options.repliedTo), ctx.lookup)}</div>`);
  }
  const head = `<div class="message-head"><span class="author">${escapeHtml(message.author)}</span>${message.isBot ? '<span class="badge-app">APP</span>' : ''}${time(message.ts, 'message-time')}</div>`;
  const suffix = message.edited ? '<span class="edited">(edited)</span>' : '';
  const body = `<div class="message-body">${renderMessageBody(message, { lookup: ctx.lookup, suffix })}</div>`;
  const alsoSent = inThreadPane && message.broadcast ? '<div class="broadcast-label">Also sent to the channel</div>' : '';
  const thread = options.inThread ? '' : renderThread(message, ctx);

  return `<div class="${classes.join(' ')}" id="${inThreadPane ? 'reply' : 'msg'}-${escapeHtml(message.ts.replace('.', '-'))}" data-ts="${escapeHtml(message.ts)}">${avatar(message.author)}<div class="message-main">${labels.join('')}${head}${body}${alsoSent}${thread}</div></div>`;
}

function renderThread(parent: PageMessage, ctx: MessageContext): string {
  const replies = [...parent.replies].sort((a, b) => compareTs(a.ts, b.ts));
  if (replies.length === 0) return '';
  const authors = [...new Set(replies.map((r) => r.author))].slice(0, 5);
  const last = replies[replies.length - 1]!;
  const lastReply = `<span class="last-reply">Last reply at ${time(last.ts, 'reply-time')}</span>`;
  const summary = `<div class="thread-summary"><span class="thread-avatars">${authors.map(avatar).join('')}</span><span class="reply-count">${replyCount(replies.length)}</span>${lastReply}</div>`;
  const items = replies.map((r) => renderMessage(r, ctx, { inThread: true })).join('');
  return `${summary}<div class="thread" aria-label="Thread replies">${items}</div>`;
}
