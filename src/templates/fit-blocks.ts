/**
 * Makes rendered blocks fit Slack's limits so that event data can never get a message rejected for
 * length: text is truncated with "…" to its field's limit, lists are cut to their maximum count, and
 * parts that rendered empty are dropped (Slack rejects empty text: "The minimum length is 1"
 * [docs.slack.dev/reference/block-kit/composition-objects/text-object]). Limits come from
 * BLOCK_KIT_LIMITS (slack-platform.md §3.3). Takes ownership of freshly rendered JSON and edits it.
 */
import { BLOCK_KIT_LIMITS as L } from '../slack/block-kit/limits.ts';
import { isObject, type JsonObject } from '../slack/block-kit/problem-list.ts';
import { httpUrl } from './template-filters.ts';
import { truncateMrkdwn, truncateText } from './truncate-text.ts';

// Context text elements have no limit of their own; text objects are capped at 3,000
// [docs.slack.dev text-object], the same bound validateBlocks applies.
const CONTEXT_TEXT = L.sectionText;

/** Fits a rendered blocks array; blocks of types it does not know are left for validateBlocks. */
export function fitBlocks(blocks: unknown[]): unknown[] {
  const kept: unknown[] = [];
  for (const block of blocks) {
    if (!isObject(block)) kept.push(block);
    else if (fitBlock(block)) kept.push(block);
  }
  // "up to 50 blocks in each message" [docs.slack.dev/block-kit]
  return kept.slice(0, L.blocksPerMessage);
}

/**
 * The message's top-level text, which Slack parses as mrkdwn. Slack asks to keep it within 4,000
 * characters (chat.update rejects longer with msg_too_long) [D-POST][D-UPD], slack-platform.md §11.4.
 */
export function fitFallbackText(text: string, whenEmpty: string): string {
  return truncateMrkdwn(isBlank(text) ? whenEmpty : text, L.messageTextRecommended);
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** Returns false when the block has nothing left to show and should be dropped. */
function fitBlock(block: JsonObject): boolean {
  cutIdentifier(block, 'block_id', L.blockId);
  switch (block.type) {
    case 'header':
      return fitTextField(block, 'text', L.headerText);
    case 'section': {
      const hasText = fitTextField(block, 'text', L.sectionText);
      const hasFields = fitList(block, 'fields', L.sectionFields, (field) => fitTextObject(field, L.sectionFieldText));
      if (block.accessory !== undefined && !fitElement(block.accessory)) delete block.accessory;
      // "text: Required if no fields are provided" [D-SECTION]
      return hasText || hasFields;
    }
    case 'context':
      return fitList(block, 'elements', L.contextElements, (element) =>
        isObject(element) && element.type === 'image' ? fitImage(element) : fitTextObject(element, CONTEXT_TEXT),
      );
    case 'actions':
      return fitList(block, 'elements', L.actionsElements, fitElement);
    case 'image':
      if (!fitImage(block)) return false;
      if (block.title !== undefined && !fitTextField(block, 'title', L.imageTitle)) delete block.title;
      return true;
    case 'markdown':
      if (typeof block.text !== 'string') return true;
      if (isBlank(block.text)) return false;
      block.text = truncateMrkdwn(block.text, L.markdownBlockText);
      return true;
    default:
      return true;
  }
}

/**
 * Drops the items `fit` rejects, then keeps at most `max`. Returns whether any item is left; an
 * emptied list is removed, since Slack wants at least one item where a list is given.
 */
function fitList(owner: JsonObject, field: string, max: number, fit: (item: unknown) => boolean): boolean {
  const items = owner[field];
  if (!Array.isArray(items)) return items !== undefined;
  const kept = items.filter(fit).slice(0, max);
  if (kept.length === 0) {
    delete owner[field];
    return false;
  }
  owner[field] = kept;
  return true;
}

/** owner[field] is a text object: fits it, deletes it when it rendered empty. Returns whether it is left. */
function fitTextField(owner: JsonObject, field: string, max: number): boolean {
  if (owner[field] === undefined) return false;
  if (fitTextObject(owner[field], max)) return true;
  delete owner[field];
  return false;
}

/** Truncates a text object's text (mrkdwn-aware for mrkdwn); false when its text is empty. */
function fitTextObject(value: unknown, max: number): boolean {
  if (!isObject(value) || typeof value.text !== 'string') return true; // malformed: validateBlocks reports it
  if (isBlank(value.text)) return false;
  value.text = value.type === 'mrkdwn' ? truncateMrkdwn(value.text, max) : truncateText(value.text, max);
  return true;
}

/** Buttons and images are fitted; other elements (menus, pickers) are left to validateBlocks. */
function fitElement(value: unknown): boolean {
  if (!isObject(value)) return true;
  cutIdentifier(value, 'action_id', L.actionId);
  if (value.type === 'image') return fitImage(value);
  if (value.type !== 'button') return true;
  if (!fitTextField(value, 'text', L.buttonText)) return false;
  // A link button whose link did not render (empty, not http(s), too long) has nothing to open.
  if (value.url !== undefined && !fitUrl(value, 'url', L.buttonUrl)) return false;
  if (typeof value.value === 'string') value.value = truncateText(value.value, L.buttonValue, '');
  if (typeof value.accessibility_label === 'string') {
    if (isBlank(value.accessibility_label)) delete value.accessibility_label;
    else value.accessibility_label = truncateText(value.accessibility_label, L.buttonAccessibilityLabel);
  }
  // A confirm dialog with an empty part would get the whole message rejected: go without it.
  if (isObject(value.confirm) && !fitConfirm(value.confirm)) delete value.confirm;
  return true;
}

function fitConfirm(confirm: JsonObject): boolean {
  const parts = [
    fitTextObject(confirm.title, L.confirmTitle),
    fitTextObject(confirm.text, L.confirmText),
    fitTextObject(confirm.confirm, L.confirmButton),
    fitTextObject(confirm.deny, L.confirmButton),
  ];
  return parts.every(Boolean);
}

/** Image blocks and image elements: a usable http(s) image_url and non-empty alt_text, or dropped. */
function fitImage(image: JsonObject): boolean {
  if (image.image_url !== undefined && !fitUrl(image, 'image_url', L.imageUrl)) return false;
  if (typeof image.alt_text === 'string') {
    if (isBlank(image.alt_text)) return false;
    image.alt_text = truncateText(image.alt_text, L.imageAltText);
  }
  return true;
}

/** A URL cannot be shortened without breaking it: it is normalised, or rejected. */
function fitUrl(owner: JsonObject, field: string, max: number): boolean {
  const href = httpUrl(owner[field]);
  if (href === null || href.length > max) return false;
  owner[field] = href;
  return true;
}

function cutIdentifier(owner: JsonObject, field: string, max: number): void {
  if (typeof owner[field] === 'string') owner[field] = truncateText(owner[field], max, '');
}
