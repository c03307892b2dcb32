/**
 * Shared pieces for rendering Block Kit on the emulator page: text objects, images, and reading
 * fields of loosely-typed payloads. Stored payloads passed Slack-like validation, but the page
 * still treats them as unknown data and never trusts a field's type.
 */
import { escapeHtml, safeUrl } from './escape-html.ts';
import { type MentionLookup, mrkdwnToHtml, plainTextToHtml } from './render-mrkdwn.ts';

export type Payload = Record<string, unknown>;

export function asObject(value: unknown): Payload | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A text object (plain_text or mrkdwn) as HTML; empty string when absent. */
export function textObject(value: unknown, lookup: MentionLookup): string {
  const text = asObject(value);
  if (!text) return '';
  const body = asString(text.text) ?? '';
  if (text.type === 'mrkdwn') return mrkdwnToHtml(body, lookup);
  return plainTextToHtml(body, text.emoji !== false);
}

/** Image sources: http(s) or an inline data:image URL. Anything else is not loaded. */
export function imageSource(owner: Payload): string | undefined {
  const url = asString(owner.image_url) ?? asString(asObject(owner.slack_file)?.url);
  if (url && /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[a-z0-9+/=]+$/i.test(url)) return url;
  return safeUrl(url);
}

/** An <img>; the alt text shows in place of a picture the browser cannot load (no network here). */
export function imageTag(src: string | undefined, alt: unknown, className: string): string {
  const altText = escapeHtml(asString(alt) ?? '');
  if (!src) return `<span class="${className} img-missing" title="${altText}">${altText || 'image'}</span>`;
  return `<img class="${className}" src="${escapeHtml(src)}" alt="${altText}" title="${altText}" loading="lazy">`;
}
