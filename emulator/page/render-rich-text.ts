/**
 * The rich_text block (what Slack's own composer produces) as HTML: sections, bullet and ordered
 * lists, quotes and preformatted runs, with bold / italic / strike / code styles on text.
 */
import { escapeHtml, safeUrl } from './escape-html.ts';
import { EMOJI, type MentionLookup } from './render-mrkdwn.ts';
import { asArray, asObject, asString } from './render-text.ts';

function styled(html: string, style: unknown): string {
  const s = asObject(style);
  if (!s) return html;
  let out = html;
  if (s.code === true) out = `<code>${out}</code>`;
  if (s.strike === true) out = `<s>${out}</s>`;
  if (s.italic === true) out = `<i>${out}</i>`;
  if (s.bold === true) out = `<b>${out}</b>`;
  return out;
}

function text(value: string): string {
  return escapeHtml(value).replace(/\n/g, '<br>');
}

function emoji(name: string, unicode: string | undefined): string {
  if (EMOJI[name]) return EMOJI[name];
  // rich_text emoji may carry the code point(s) in hex, e.g. "1f680" or "1f44d-1f3fb"
  if (unicode && /^[0-9a-f]{2,6}(-[0-9a-f]{2,6})*$/i.test(unicode)) {
    return String.fromCodePoint(...unicode.split('-').map((h) => parseInt(h, 16)));
  }
  return escapeHtml(`:${name}:`);
}

function inline(value: unknown, lookup: MentionLookup): string {
  const el = asObject(value);
  if (!el) return '';
  const style = el.style;
  switch (el.type) {
    case 'text':
      return styled(text(asString(el.text) ?? ''), style);
    case 'link': {
      const url = safeUrl(el.url);
      const label = text(asString(el.text) ?? asString(el.url) ?? '');
      return styled(url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>` : label, style);
    }
    case 'emoji':
      return emoji(asString(el.name) ?? '', asString(el.unicode));
    case 'user': {
      const id = asString(el.user_id) ?? '';
      return `<span class="mention mention-user">@${escapeHtml(lookup.userName?.(id) ?? id)}</span>`;
    }
    case 'channel': {
      const id = asString(el.channel_id) ?? '';
      return `<span class="mention mention-channel">#${escapeHtml(lookup.channelName?.(id) ?? id)}</span>`;
    }
    case 'usergroup':
      return `<span class="mention mention-user">@${escapeHtml(asString(el.usergroup_id) ?? '')}</span>`;
    case 'team':
      return `<span class="mention">${escapeHtml(asString(el.team_id) ?? '')}</span>`;
    case 'broadcast':
      return `<span class="mention mention-broadcast">@${escapeHtml(asString(el.range) ?? 'here')}</span>`;
    case 'date': {
      const fallback = asString(el.fallback);
      const ts = typeof el.timestamp === 'number' ? new Date(el.timestamp * 1000).toISOString().slice(0, 16).replace('T', ' ') : '';
      return escapeHtml(fallback ?? ts);
    }
    case 'color': {
      const color = asString(el.value) ?? '';
      const swatch = /^#[0-9a-f]{3,8}$/i.test(color) ? `<span class="rt-swatch" style="background:${color}"></span>` : '';
      return `${swatch}${escapeHtml(color)}`;
    }
    default:
      return '';
  }
}

function run(container: Record<string, unknown>, lookup: MentionLookup): string {
  return asArray(container.elements).map((e) => inline(e, lookup)).join('');
}

function container(value: unknown, lookup: MentionLookup): string {
  const c = asObject(value);
  if (!c) return '';
  switch (c.type) {
    case 'rich_text_section':
      return `<div class="rt-section">${run(c, lookup)}</div>`;
    case 'rich_text_quote':
      return `<blockquote>${run(c, lookup)}</blockquote>`;
    case 'rich_text_preformatted':
      return `<pre>${run(c, lookup)}</pre>`;
    case 'rich_text_list': {
      const tag = c.style === 'ordered' ? 'ol' : 'ul';
      const indent = typeof c.indent === 'number' && c.indent > 0 ? ` style="margin-left:${Math.min(c.indent, 8) * 20}px"` : '';
      const items = asArray(c.elements).map((item) => `<li>${run(asObject(item) ?? {}, lookup)}</li>`);
      return `<${tag} class="rt-list"${indent}>${items.join('')}</${tag}>`;
    }
    default:
      return '';
  }
}

export function renderRichText(block: Record<string, unknown>, lookup: MentionLookup): string {
  return `<div class="bk-rich-text">${asArray(block.elements).map((c) => container(c, lookup)).join('')}</div>`;
}
