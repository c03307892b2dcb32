/**
 * The Slack-aware Liquid filters templates can use (documented in docs/templates.md). Each filter has
 * a mrkdwn behaviour (for mrkdwn text objects and the fallback text, where Slack parses links and
 * mentions) and a plain behaviour (plain_text and every other string field, which Slack shows as is).
 * Filters that build markup return SafeMrkdwn so the default escape leaves their output alone, and
 * escape every piece of event data they put inside it.
 */
import type { Liquid } from 'liquidjs';
import { SEVERITY_EMOJI, isSeverity } from '../event-types/severity.ts';
import { escapeMrkdwn, liquidString, SafeMrkdwn } from './mrkdwn-escape.ts';
import { ELLIPSIS, truncateText } from './truncate-text.ts';

export const LEAF_MODES = ['mrkdwn', 'plain'] as const;
/** How a string leaf is interpreted by Slack: mrkdwn (escaped by default) or shown literally. */
export type LeafMode = (typeof LEAF_MODES)[number];

// Slack user ids start with U (or W for Enterprise Grid org-wide users).
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const DEFAULT_SLACK_DATE_FORMAT = '{date_short_pretty} at {time}';

/** Returns the normalised URL when `value` is an absolute http(s) URL, otherwise null. */
export function httpUrl(value: unknown): string | null {
  const text = liquidString(value).trim();
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

// Inside <url|label>, "|" would end the URL and "<>" the link; & is escaped as Slack asks.
function escapeLinkUrl(href: string): string {
  return href.replace(/&/g, '&amp;').replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
}

function toDate(value: unknown): Date | null {
  const raw = value instanceof Date ? value : liquidString(value).trim();
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw;
  if (raw === '') return null;
  // Bare numbers are Unix seconds (Slack's own unit); 13+ digits are milliseconds.
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const n = Number(raw);
    return new Date(raw.split('.')[0].length >= 13 ? n : n * 1000);
  }
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function utcFallback(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function pluralCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return Number(liquidString(value).trim());
}

export function registerTemplateFilters(liquid: Liquid, mode: LeafMode): void {
  const mrkdwn = mode === 'mrkdwn';

  /** {{ data.snippet | raw_mrkdwn }}: the author vouches for this value; no escaping. */
  liquid.registerFilter('raw_mrkdwn', (value: unknown) => (mrkdwn ? new SafeMrkdwn(liquidString(value)) : liquidString(value)));

  /** {{ data.url | mrkdwn_link: data.title }} → <https://…|title>; a non-http(s) URL yields just the label. */
  liquid.registerFilter('mrkdwn_link', (value: unknown, label?: unknown) => {
    const href = httpUrl(value);
    const text = liquidString(label);
    if (!mrkdwn) return text !== '' ? text : liquidString(value);
    if (href === null) return text !== '' ? text : liquidString(value);
    return new SafeMrkdwn(text === '' ? `<${escapeLinkUrl(href)}>` : `<${escapeLinkUrl(href)}|${escapeMrkdwn(text)}>`);
  });

  /** {{ data.approver_id | user_mention }} → <@U0123ABCD> only for a real user id; anything else stays text. */
  liquid.registerFilter('user_mention', (value: unknown) => {
    const id = liquidString(value).trim();
    if (mrkdwn && USER_ID.test(id)) return new SafeMrkdwn(`<@${id}>`);
    return liquidString(value);
  });

  /**
   * {{ event.occurred_at | slack_date }} → <!date^1767225600^{date_short_pretty} at {time}|2026-01-01 00:00 UTC>:
   * Slack shows it in each reader's own time zone, the fallback in UTC [docs.slack.dev formatting: dates].
   */
  liquid.registerFilter('slack_date', (value: unknown, format?: unknown) => {
    const date = toDate(value);
    if (date === null) return liquidString(value);
    const fallback = utcFallback(date);
    if (!mrkdwn) return fallback;
    const tokens = (liquidString(format) || DEFAULT_SLACK_DATE_FORMAT).replace(/[\^|<>]/g, '');
    return new SafeMrkdwn(`<!date^${Math.floor(date.getTime() / 1000)}^${escapeMrkdwn(tokens)}|${fallback}>`);
  });

  /** {{ data.description | truncate: 200 }}: at most 200 characters, ellipsis "…" included; emoji never split. */
  liquid.registerFilter('truncate', (value: unknown, length: unknown = 50, ellipsis: unknown = ELLIPSIS) => {
    const max = Math.max(0, Math.floor(Number(length)) || 0);
    return truncateText(liquidString(value), max, liquidString(ellipsis));
  });

  /** {{ data.count | plural: "meeting" }} → "meeting" for 1, "meetings" otherwise; arrays count their items. */
  liquid.registerFilter('plural', (value: unknown, singular: unknown, plural?: unknown) => {
    const one = liquidString(singular);
    const many = plural === undefined || plural === null ? `${one}s` : liquidString(plural);
    return pluralCount(value) === 1 ? one : many;
  });

  /** {{ event.severity | severity_emoji }} → 🔴 for critical, 🟠 high, 🟡 medium, 🔵 low, ℹ️ info. */
  liquid.registerFilter('severity_emoji', (value: unknown) => {
    const severity = liquidString(value);
    return isSeverity(severity) ? SEVERITY_EMOJI[severity] : '';
  });
}
