/**
 * Block Kit validation shared by the gateway (check a rendered message before sending it) and the
 * emulator (answer `invalid_blocks` the way Slack does). `validateBlocks` returns the problems
 * with JSON-pointer paths; an empty list means Slack would accept the blocks.
 *
 * What it does not do: check that URLs resolve, that user/channel ids exist, or that unknown
 * extra fields are absent (Slack tolerates many of those).
 */
import { BLOCKS_PER_SURFACE, BLOCK_KIT_LIMITS as L, type Surface } from './limits.ts';
import { type BlockKitProblem, type JsonObject, ProblemList, pointer } from './problem-list.ts';
import { checkTextField, checkTextObject } from './validate-composition.ts';
import { checkElement, checkImageSource } from './validate-elements.ts';
import { checkRichTextElements } from './validate-rich-text.ts';

export type { BlockKitProblem } from './problem-list.ts';
export type { Surface } from './limits.ts';

const ALL_SURFACES: readonly Surface[] = ['message', 'modal', 'home'];

/**
 * Block types and the surfaces that accept them. Input blocks are documented for modals, messages
 * and Home tabs (messages since 2021, with dispatch_action). The file block only appears in
 * messages ("You can't add this block to app surfaces directly", @slack/types FileBlock), and the
 * markdown block is documented for messages only.
 */
export const BLOCK_SURFACES = {
  actions: ALL_SURFACES,
  context: ALL_SURFACES,
  divider: ALL_SURFACES,
  file: ['message'],
  header: ALL_SURFACES,
  image: ALL_SURFACES,
  input: ALL_SURFACES,
  markdown: ['message'],
  rich_text: ALL_SURFACES,
  section: ALL_SURFACES,
  video: ALL_SURFACES,
} as const satisfies Record<string, readonly Surface[]>;
export type BlockType = keyof typeof BLOCK_SURFACES;
export const BLOCK_TYPES = Object.keys(BLOCK_SURFACES) as BlockType[];

type BlockCheck = (list: ProblemList, block: JsonObject, path: string, actionIds: Set<string>) => void;

const CHECKS: Record<BlockType, BlockCheck> = {
  section(list, block, path, actionIds) {
    // "Required if no fields are provided" / "Required if no text is provided" [D-SECTION]
    if (block.text === undefined && block.fields === undefined) list.add(path, 'must provide either text or fields');
    checkTextField(list, block, 'text', path, { max: L.sectionText });
    const fields = list.array(block, 'fields', path, { min: 1, max: L.sectionFields });
    fields?.forEach((field, i) => checkTextObject(list, field, pointer(pointer(path, 'fields'), i), { max: L.sectionFieldText }));
    if (block.accessory !== undefined) checkElement(list, block.accessory, pointer(path, 'accessory'), 'accessory', actionIds);
    list.boolean(block, 'expand', path);
  },
  header(list, block, path) {
    checkTextField(list, block, 'text', path, { required: true, max: L.headerText, plainOnly: true });
  },
  divider() {},
  image(list, block, path) {
    checkImageSource(list, block, path);
    list.string(block, 'alt_text', path, { required: true, min: 1, max: L.imageAltText });
    checkTextField(list, block, 'title', path, { max: L.imageTitle, plainOnly: true });
  },
  context(list, block, path) {
    const elements = list.array(block, 'elements', path, { required: true, min: 1, max: L.contextElements });
    elements?.forEach((value, i) => {
      const elementPath = pointer(pointer(path, 'elements'), i);
      const element = list.object(value, elementPath);
      if (!element) return;
      // Context holds image elements and text objects only [D-CONTEXT]
      if (element.type === 'image') {
        checkImageSource(list, element, elementPath);
        list.string(element, 'alt_text', elementPath, { required: true, min: 1, max: L.imageAltText });
      } else if (element.type === 'plain_text' || element.type === 'mrkdwn') {
        // A context text element has no documented length of its own; section text's 3,000 bounds it.
        checkTextObject(list, element, elementPath, { max: L.sectionText });
      } else if (element.type === undefined) {
        list.missing(elementPath, 'type');
      } else {
        list.add(pointer(elementPath, 'type'), `unsupported type: ${String(element.type)}`);
      }
    });
  },
  actions(list, block, path, actionIds) {
    const elements = list.array(block, 'elements', path, { required: true, min: 1, max: L.actionsElements });
    elements?.forEach((element, i) => checkElement(list, element, pointer(pointer(path, 'elements'), i), 'actions', actionIds));
  },
  input(list, block, path, actionIds) {
    checkTextField(list, block, 'label', path, { required: true, max: L.inputLabel, plainOnly: true });
    if (block.element === undefined) list.missing(path, 'element');
    else checkElement(list, block.element, pointer(path, 'element'), 'input', actionIds);
    checkTextField(list, block, 'hint', path, { max: L.inputHint, plainOnly: true });
    list.boolean(block, 'optional', path);
    list.boolean(block, 'dispatch_action', path);
  },
  rich_text(list, block, path) {
    checkRichTextElements(list, block, path);
  },
  file(list, block, path) {
    list.string(block, 'external_id', path, { required: true, min: 1 });
    // "At the moment, source will always be remote" (@slack/types FileBlock)
    list.enumValue(block, 'source', path, ['remote'], true);
  },
  video(list, block, path) {
    list.string(block, 'alt_text', path, { required: true, min: 1 });
    checkTextField(list, block, 'title', path, { required: true, max: L.videoTitle, plainOnly: true });
    list.string(block, 'video_url', path, { required: true, min: 1 });
    list.string(block, 'thumbnail_url', path, { required: true, min: 1 });
    checkTextField(list, block, 'description', path, { max: L.videoDescription, plainOnly: true });
    list.string(block, 'title_url', path, { min: 1 });
    list.string(block, 'author_name', path, { max: L.videoAuthorName });
    list.string(block, 'provider_name', path);
    list.string(block, 'provider_icon_url', path);
  },
  markdown(list, block, path) {
    list.string(block, 'text', path, { required: true, min: 1, max: L.markdownBlockText });
  },
};

function checkBlock(list: ProblemList, value: unknown, path: string, surface: Surface, blockIds: Set<string>): void {
  const block = list.object(value, path);
  if (!block) return;
  const type = block.type;
  if (type === undefined) {
    list.missing(path, 'type');
    return;
  }
  if (typeof type !== 'string' || !(type in BLOCK_SURFACES)) {
    list.add(pointer(path, 'type'), `unsupported type: ${String(type)}`);
    return;
  }
  const blockType = type as BlockType;
  if (!(BLOCK_SURFACES[blockType] as readonly Surface[]).includes(surface)) {
    list.add(pointer(path, 'type'), `unsupported type: ${type}`);
    return;
  }
  // "block_id should be unique for each message and each iteration of a message" [D-SECTION]
  const blockId = list.string(block, 'block_id', path, { min: 1, max: L.blockId });
  if (blockId !== undefined) {
    if (blockIds.has(blockId)) list.add(pointer(path, 'block_id'), `duplicate block_id: ${blockId}`);
    blockIds.add(blockId);
  }
  CHECKS[blockType](list, block, path, new Set());
}

/** Collects problems into `list`; used by validateView and by attachment validation. */
export function checkBlocks(list: ProblemList, blocks: unknown, surface: Surface, path = '/blocks'): void {
  if (!Array.isArray(blocks)) {
    list.add(path, 'must provide an array');
    return;
  }
  list.count(blocks, path, { max: BLOCKS_PER_SURFACE[surface] });
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => checkBlock(list, block, pointer(path, i), surface, blockIds));
}

/**
 * Validates a `blocks` array for a surface. Paths start at /blocks, as in Slack's
 * "[ERROR] unsupported type: sections [json-pointer:/blocks/0/type]"; pass another base path for
 * blocks nested elsewhere (e.g. /attachments/0/blocks).
 */
export function validateBlocks(blocks: unknown, surface: Surface, path = '/blocks'): BlockKitProblem[] {
  const list = new ProblemList();
  checkBlocks(list, blocks, surface, path);
  return list.problems;
}
