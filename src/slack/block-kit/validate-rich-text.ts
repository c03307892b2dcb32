/**
 * The rich_text block's nested structure: sections, lists, quotes and preformatted runs, each made
 * of inline elements (text, link, emoji, user, channel...) [docs.slack.dev rich-text-block].
 */
import { type JsonObject, type ProblemList, pointer } from './problem-list.ts';

export const RICH_TEXT_CONTAINERS = ['rich_text_section', 'rich_text_list', 'rich_text_quote', 'rich_text_preformatted'] as const;
export const RICH_TEXT_LIST_STYLES = ['bullet', 'ordered'] as const;
const BROADCAST_RANGES = ['here', 'channel', 'everyone'] as const;

/** The field each inline element must carry. */
const INLINE_REQUIRED: Record<string, string> = {
  text: 'text',
  link: 'url',
  emoji: 'name',
  user: 'user_id',
  channel: 'channel_id',
  usergroup: 'usergroup_id',
  team: 'team_id',
  date: 'timestamp',
  color: 'value',
  broadcast: 'range',
};

function checkInline(list: ProblemList, value: unknown, path: string): void {
  const inline = list.object(value, path);
  if (!inline) return;
  const type = inline.type;
  if (typeof type !== 'string' || !(type in INLINE_REQUIRED)) {
    if (type === undefined) list.missing(path, 'type');
    else list.add(pointer(path, 'type'), `unsupported type: ${String(type)}`);
    return;
  }
  const field = INLINE_REQUIRED[type]!;
  if (type === 'broadcast') list.enumValue(inline, 'range', path, BROADCAST_RANGES, true);
  else if (type === 'date') {
    if (inline.timestamp === undefined) list.missing(path, 'timestamp');
    else list.integer(inline, 'timestamp', path, { min: 0 });
  } else list.string(inline, field, path, { required: true, min: type === 'text' ? 1 : 0 });
  if (inline.style !== undefined) list.object(inline.style, pointer(path, 'style'));
}

function checkInlineRun(list: ProblemList, owner: JsonObject, path: string): void {
  const items = list.array(owner, 'elements', path, { required: true });
  items?.forEach((item, i) => checkInline(list, item, pointer(pointer(path, 'elements'), i)));
}

function checkContainer(list: ProblemList, value: unknown, path: string, allowed: readonly string[]): void {
  const container = list.object(value, path);
  if (!container) return;
  const type = container.type;
  if (type === undefined) {
    list.missing(path, 'type');
    return;
  }
  if (typeof type !== 'string' || !allowed.includes(type)) {
    list.add(pointer(path, 'type'), `unsupported type: ${String(type)}`);
    return;
  }
  if (type === 'rich_text_list') {
    list.enumValue(container, 'style', path, RICH_TEXT_LIST_STYLES, true);
    list.integer(container, 'indent', path, { min: 0 });
    list.integer(container, 'offset', path, { min: 0 });
    list.integer(container, 'border', path, { min: 0 });
    const items = list.array(container, 'elements', path, { required: true });
    items?.forEach((item, i) => checkContainer(list, item, pointer(pointer(path, 'elements'), i), ['rich_text_section']));
    return;
  }
  if (type !== 'rich_text_section') list.integer(container, 'border', path, { min: 0 });
  checkInlineRun(list, container, path);
}

/** Checks the `elements` of a rich_text block (or a rich_text_input's initial value). */
export function checkRichTextElements(list: ProblemList, block: JsonObject, path: string): void {
  const items = list.array(block, 'elements', path, { required: true });
  items?.forEach((item, i) => checkContainer(list, item, pointer(pointer(path, 'elements'), i), RICH_TEXT_CONTAINERS));
}
