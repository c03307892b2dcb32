/**
 * Block elements as a person sees them in Slack: buttons (primary green, danger red), menus and
 * pickers as boxes with their placeholder or current value, checkboxes and radio buttons as
 * lists, overflow as "⋯". Nothing here is interactive: the page shows, it does not click.
 */
import { escapeHtml, safeUrl } from './escape-html.ts';
import type { MentionLookup } from './render-mrkdwn.ts';
import { type Payload, asArray, asObject, asString, imageSource, imageTag, textObject } from './render-text.ts';

function box(kind: string, content: string, icon = '▾'): string {
  return `<span class="bk-box bk-${kind}"><span class="bk-box-text">${content}</span><span class="bk-box-icon">${icon}</span></span>`;
}

function placeholderOr(element: Payload, value: string | undefined, lookup: MentionLookup, fallback: string): string {
  if (value) return value;
  const placeholder = textObject(element.placeholder, lookup);
  return `<span class="bk-placeholder">${placeholder || escapeHtml(fallback)}</span>`;
}

function optionLabel(value: unknown, lookup: MentionLookup): string | undefined {
  const option = asObject(value);
  return option ? textObject(option.text, lookup) : undefined;
}

function choiceList(element: Payload, kind: 'checkbox' | 'radio', lookup: MentionLookup): string {
  const selected = new Set<string>();
  for (const o of [element.initial_option, ...asArray(element.initial_options)]) {
    const value = asString(asObject(o)?.value);
    if (value !== undefined) selected.add(value);
  }
  const items = asArray(element.options).map((o) => {
    const option = asObject(o) ?? {};
    const on = selected.has(asString(option.value) ?? '\u0000');
    const mark = kind === 'checkbox' ? (on ? '☑' : '☐') : on ? '◉' : '○';
    const description = textObject(option.description, lookup);
    return `<li><span class="bk-mark">${mark}</span><span>${textObject(option.text, lookup)}${description ? `<br><span class="bk-hint">${description}</span>` : ''}</span></li>`;
  });
  return `<ul class="bk-choices bk-${kind}">${items.join('')}</ul>`;
}

function button(element: Payload, lookup: MentionLookup): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` bk-${element.style}` : '';
  const label = textObject(element.text, lookup);
  const url = safeUrl(element.url);
  if (url) return `<a class="bk-button${style}" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${label}</a>`;
  return `<button type="button" class="bk-button${style}" disabled>${label}</button>`;
}

const SELECT_VALUE: Record<string, (e: Payload, lookup: MentionLookup) => string | undefined> = {
  static_select: (e, l) => optionLabel(e.initial_option, l),
  external_select: (e, l) => optionLabel(e.initial_option, l),
  users_select: (e, l) => mentionValue('@', asString(e.initial_user), l.userName),
  conversations_select: (e, l) => mentionValue('#', asString(e.initial_conversation), l.channelName),
  channels_select: (e, l) => mentionValue('#', asString(e.initial_channel), l.channelName),
};

function mentionValue(prefix: string, id: string | undefined, name?: (id: string) => string | undefined): string | undefined {
  return id ? escapeHtml(`${prefix}${name?.(id) ?? id}`) : undefined;
}

function multiValue(element: Payload, lookup: MentionLookup): string | undefined {
  const chips = [
    ...asArray(element.initial_options).map((o) => optionLabel(o, lookup)),
    ...asArray(element.initial_users).map((id) => mentionValue('@', asString(id), lookup.userName)),
    ...asArray(element.initial_conversations).map((id) => mentionValue('#', asString(id), lookup.channelName)),
    ...asArray(element.initial_channels).map((id) => mentionValue('#', asString(id), lookup.channelName)),
  ].filter((chip): chip is string => Boolean(chip));
  return chips.length ? chips.map((c) => `<span class="bk-chip">${c}</span>`).join('') : undefined;
}

/** One block element as HTML. Unknown types show their name so a developer notices. */
export function renderElement(value: unknown, lookup: MentionLookup): string {
  const element = asObject(value);
  if (!element) return '';
  const type = asString(element.type) ?? '';
  switch (type) {
    case 'button':
    case 'workflow_button':
      return button(element, lookup);
    case 'image':
      return imageTag(imageSource(element), element.alt_text, 'bk-element-image');
    case 'overflow':
      return `<span class="bk-overflow" title="More actions">⋯</span>`;
    case 'checkboxes':
      return choiceList(element, 'checkbox', lookup);
    case 'radio_buttons':
      return choiceList(element, 'radio', lookup);
    case 'datepicker':
      return box('datepicker', placeholderOr(element, escapeHtml(asString(element.initial_date) ?? ''), lookup, 'Select a date'), '📅');
    case 'timepicker':
      return box('timepicker', placeholderOr(element, escapeHtml(asString(element.initial_time) ?? ''), lookup, 'Select time'), '🕒');
    case 'datetimepicker':
      return box('datepicker', placeholderOr(element, '', lookup, 'Select date and time'), '📅');
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const initial = escapeHtml(asString(element.initial_value) ?? '');
      const multiline = element.multiline === true ? ' bk-multiline' : '';
      return `<span class="bk-text-input${multiline}">${placeholderOr(element, initial, lookup, '')}</span>`;
    }
    case 'rich_text_input':
      return `<span class="bk-text-input bk-multiline">${placeholderOr(element, '', lookup, '')}</span>`;
    case 'file_input':
      return box('file-input', '<span class="bk-placeholder">Drag a file here or browse</span>', '📎');
    default:
      if (type in SELECT_VALUE) return box('select', placeholderOr(element, SELECT_VALUE[type]!(element, lookup), lookup, 'Select an item'));
      if (type.startsWith('multi_') && `${type.slice(6)}` in SELECT_VALUE) {
        return box('select', placeholderOr(element, multiValue(element, lookup), lookup, 'Select items'));
      }
      return `<span class="bk-unknown">[${escapeHtml(type || 'element')}]</span>`;
  }
}
