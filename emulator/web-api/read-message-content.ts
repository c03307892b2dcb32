/**
 * Reads and checks the content of a message argument set (text, blocks, attachments, metadata,
 * markdown_text) the way chat.postMessage and its siblings do: unparseable blocks are
 * invalid_blocks_format, Block Kit problems are invalid_blocks with each problem and its JSON
 * pointer, more than 100 attachments is too_many_attachments, and nothing to show is no_text [D-POST].
 */
import { formatSlackErrors } from '../../src/slack/block-kit/format-slack-errors.ts';
import { validateBlocks } from '../../src/slack/block-kit/validate-blocks.ts';
import type { ApiArgs } from './api-args.ts';
import { SlackApiError } from './slack-api-error.ts';

export const MAX_ATTACHMENTS = 100;
/** "markdown_text (≤12,000 chars, not with blocks/text)" [D-POST]. */
export const MAX_MARKDOWN_TEXT = 12_000;

export interface ReadContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
}

/** Length in characters (code points), as Slack counts text limits. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

export function readBlocks(args: ApiArgs): unknown[] | undefined {
  const parsed = args.json('blocks');
  if (!parsed) return undefined;
  if (!parsed.ok || !Array.isArray(parsed.value)) throw new SlackApiError('invalid_blocks_format');
  if (parsed.value.length === 0) return [];
  const problems = validateBlocks(parsed.value, 'message');
  if (problems.length) throw new SlackApiError('invalid_blocks', { ...formatSlackErrors(problems) });
  return parsed.value;
}

export function readAttachments(args: ApiArgs): unknown[] | undefined {
  const parsed = args.json('attachments');
  if (!parsed) return undefined;
  if (!parsed.ok || !Array.isArray(parsed.value) || parsed.value.some((a) => typeof a !== 'object' || a === null || Array.isArray(a))) {
    throw new SlackApiError('invalid_attachments');
  }
  if (parsed.value.length > MAX_ATTACHMENTS) throw new SlackApiError('too_many_attachments');
  return parsed.value;
}

export function readMetadata(args: ApiArgs): unknown {
  const parsed = args.json('metadata');
  if (!parsed) return undefined;
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    throw new SlackApiError('invalid_metadata_format');
  }
  const m = parsed.value as Record<string, unknown>;
  // Slack's metadata is {event_type, event_payload}; an empty object means "remove" in chat.update.
  if (Object.keys(m).length > 0 && (typeof m.event_type !== 'string' || typeof m.event_payload !== 'object' || m.event_payload === null)) {
    throw new SlackApiError('invalid_metadata_schema');
  }
  return m;
}

/**
 * Content for a new message. `text` may be absent when blocks or attachments carry the message;
 * markdown_text stands in for text but cannot be combined with text or blocks.
 */
export function readNewMessageContent(args: ApiArgs): { text: string; blocks?: unknown[]; attachments?: unknown[]; metadata?: unknown } {
  const markdown = args.string('markdown_text');
  let text = args.string('text');
  const blocks = readBlocks(args);
  const attachments = readAttachments(args);
  const metadata = readMetadata(args);
  if (markdown !== undefined) {
    if (text !== undefined || (blocks && blocks.length)) throw new SlackApiError('markdown_text_conflict');
    if (textLength(markdown) > MAX_MARKDOWN_TEXT) throw new SlackApiError('msg_too_long');
    text = markdown;
  }
  const hasBlocks = Boolean(blocks && blocks.length);
  const hasAttachments = Boolean(attachments && attachments.length);
  if (text === undefined && !hasBlocks && !hasAttachments) throw new SlackApiError('no_text');
  return {
    text: text ?? '',
    blocks: hasBlocks ? blocks : undefined,
    attachments: hasAttachments ? attachments : undefined,
    metadata,
  };
}
