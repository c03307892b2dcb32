/**
 * Block Kit → safe HTML for the emulator page, laid out the way the Slack client lays it out:
 * headers large and bold, section fields in two columns with the accessory on the right, context
 * small and grey, attachments behind a colour bar. A message without blocks shows its `text`
 * (which is otherwise only the notification fallback). Every string is escaped.
 */
import { escapeHtml, safeUrl } from './escape-html.ts';
import { renderElement } from './render-elements.ts';
import { type MentionLookup, mrkdwnToHtml } from './render-mrkdwn.ts';
import { renderRichText } from './render-rich-text.ts';
import { type Payload, asArray, asObject, asString, imageSource, imageTag, textObject } from './render-text.ts';

function section(block: Payload, lookup: MentionLookup): string {
  const text = block.text ? `<div class="bk-text">${textObject(block.text, lookup)}</div>` : '';
  const fields = asArray(block.fields);
  const grid = fields.length ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${textObject(f, lookup)}</div>`).join('')}</div>` : '';
  const accessory = block.accessory ? `<div class="bk-accessory">${renderElement(block.accessory, lookup)}</div>` : '';
  return `<div class="bk-section"><div class="bk-section-body">${text}${grid}</div>${accessory}</div>`;
}

function context(block: Payload, lookup: MentionLookup): string {
  const parts = asArray(block.elements).map((value) => {
    const element = asObject(value);
    if (!element) return '';
    if (element.type === 'image') return imageTag(imageSource(element), element.alt_text, 'bk-context-image');
    return `<span class="bk-context-text">${textObject(element, lookup)}</span>`;
  });
  return `<div class="bk-context">${parts.join('')}</div>`;
}

function image(block: Payload, lookup: MentionLookup): string {
  const title = block.title ? `<div class="bk-image-title">${textObject(block.title, lookup)}</div>` : '';
  return `<figure class="bk-image">${title}${imageTag(imageSource(block), block.alt_text, 'bk-image-img')}</figure>`;
}

function input(block: Payload, lookup: MentionLookup): string {
  const optional = block.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
  const hint = block.hint ? `<div class="bk-hint">${textObject(block.hint, lookup)}</div>` : '';
  return `<div class="bk-input"><div class="bk-label">${textObject(block.label, lookup)}${optional}</div>${renderElement(block.element, lookup)}${hint}</div>`;
}

function video(block: Payload, lookup: MentionLookup): string {
  const url = safeUrl(block.title_url) ?? safeUrl(block.video_url);
  const title = textObject(block.title, lookup);
  const heading = url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${title}</a>` : title;
  const thumb = imageTag(safeUrl(block.thumbnail_url), block.alt_text, 'bk-image-img');
  return `<div class="bk-video"><div class="bk-video-title">▶ ${heading}</div>${thumb}</div>`;
}

/** The markdown block takes standard markdown; the page maps the common parts onto mrkdwn. */
function markdown(block: Payload, lookup: MentionLookup): string {
  const source = (asString(block.text) ?? '')
    .replace(/^#{1,6}\s+(.*)$/gm, '*$1*')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '<$2|$1>')
    .replace(/^\s*[-*]\s+/gm, '• ');
  return `<div class="bk-text">${mrkdwnToHtml(source, lookup)}</div>`;
}

function block(value: unknown, lookup: MentionLookup): string {
  const b = asObject(value);
  if (!b) return '';
  switch (b.type) {
    case 'header':
      return `<div class="bk-header">${textObject(b.text, lookup)}</div>`;
    case 'section':
      return section(b, lookup);
    case 'divider':
      return '<hr class="bk-divider">';
    case 'image':
      return image(b, lookup);
    case 'context':
      return context(b, lookup);
    case 'actions':
      return `<div class="bk-actions">${asArray(b.elements).map((e) => renderElement(e, lookup)).join('')}</div>`;
    case 'input':
      return input(b, lookup);
    case 'rich_text':
      return renderRichText(b, lookup);
    case 'file':
      return `<div class="bk-file">📄 Remote file <code>${escapeHtml(asString(b.external_id) ?? '')}</code></div>`;
    case 'video':
      return video(b, lookup);
    case 'markdown':
      return markdown(b, lookup);
    default:
      return `<div class="bk-unknown">[unsupported block: ${escapeHtml(String(b.type))}]</div>`;
  }
}

export function renderBlocks(blocks: readonly unknown[], lookup: MentionLookup = {}): string {
  return `<div class="bk-blocks">${blocks.map((b) => block(b, lookup)).join('')}</div>`;
}

/** Attachment colours: good / warning / danger or a hex value [docs.slack.dev legacy attachments]. */
const NAMED_COLOURS: Record<string, string> = { good: '#2eb886', warning: '#daa038', danger: '#a30200' };

export function attachmentColour(value: unknown): string {
  const colour = asString(value)?.trim() ?? '';
  if (NAMED_COLOURS[colour]) return NAMED_COLOURS[colour];
  if (/^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.test(colour)) return colour.startsWith('#') ? colour : `#${colour}`;
  return '#dddddd';
}

function attachment(value: unknown, lookup: MentionLookup): string {
  const a = asObject(value);
  if (!a) return '';
  const parts: string[] = [];
  const author = asString(a.author_name);
  if (author) parts.push(`<div class="att-author">${escapeHtml(author)}</div>`);
  const title = asString(a.title);
  if (title) {
    const link = safeUrl(a.title_link);
    parts.push(`<div class="att-title">${link ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">${escapeHtml(title)}</a>` : escapeHtml(title)}</div>`);
  }
  const text = asString(a.text);
  if (text) parts.push(`<div class="bk-text">${mrkdwnToHtml(text, lookup)}</div>`);
  const fields = asArray(a.fields).map((f) => {
    const field = asObject(f) ?? {};
    const short = field.short === true ? ' att-field-short' : '';
    return `<div class="att-field${short}"><div class="att-field-title">${escapeHtml(asString(field.title) ?? '')}</div><div>${mrkdwnToHtml(asString(field.value) ?? '', lookup)}</div></div>`;
  });
  if (fields.length) parts.push(`<div class="att-fields">${fields.join('')}</div>`);
  const blocks = asArray(a.blocks);
  if (blocks.length) parts.push(renderBlocks(blocks, lookup));
  const img = imageSource(a);
  if (img) parts.push(imageTag(img, a.fallback, 'bk-image-img'));
  const footer = asString(a.footer);
  if (footer) parts.push(`<div class="att-footer">${mrkdwnToHtml(footer, lookup)}</div>`);
  const pretext = asString(a.pretext);
  const pre = pretext ? `<div class="bk-text">${mrkdwnToHtml(pretext, lookup)}</div>` : '';
  return `${pre}<div class="attachment" style="border-left-color:${attachmentColour(a.color)}">${parts.join('')}</div>`;
}

export function renderAttachments(attachments: readonly unknown[], lookup: MentionLookup = {}): string {
  return attachments.map((a) => attachment(a, lookup)).join('');
}

export interface MessageBodyOptions {
  lookup?: MentionLookup;
  /** Markup appended after the message's own text, e.g. "(edited)", which Slack shows inline. */
  suffix?: string;
}

/** The visible body of a message: its blocks, or its text when it has none, then attachments. */
export function renderMessageBody(message: { text: string; blocks?: unknown[]; attachments?: unknown[] }, options: MessageBodyOptions = {}): string {
  const lookup = options.lookup ?? {};
  const suffix = options.suffix ?? '';
  const blocks = asArray(message.blocks);
  const text = message.text ?? '';
  let body: string;
  if (blocks.length) body = `${renderBlocks(blocks, lookup)}${suffix ? `<div class="bk-suffix">${suffix}</div>` : ''}`;
  else if (text !== '' || suffix) {
    const html = mrkdwnToHtml(text, lookup);
    // Slack writes "(edited)" at the end of the last line, inside a closing quote too.
    const withSuffix = !suffix ? html : html.endsWith('</blockquote>') ? `${html.slice(0, -'</blockquote>'.length)} ${suffix}</blockquote>` : `${html} ${suffix}`;
    body = `<div class="bk-text">${withSuffix}</div>`;
  }
  else body = '';
  const attachments = asArray(message.attachments);
  return attachments.length ? `${body}${renderAttachments(attachments, lookup)}` : body;
}
