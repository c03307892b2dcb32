/**
 * Slack's Block Kit and message limits, in one table shared by the gateway (which renders and
 * checks messages before sending) and the emulator (which rejects what Slack would reject).
 * Source tags refer to docs/slack-platform.md §3.3 and §12.
 *
 * Lengths are counted in characters (Unicode code points, see `charCount`): Slack documents every
 * limit as "characters", and an emoji is one character to a person.
 */
export const BLOCK_KIT_LIMITS = {
  // Surfaces: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs" [docs.slack.dev/block-kit]
  blocksPerMessage: 50,
  blocksPerModal: 100,
  blocksPerHome: 100,
  // too_many_attachments "max 100" [D-POST][D-WH]
  attachmentsPerMessage: 100,
  // chat.postMessage: keep text ≤ 4,000, Slack truncates > 40,000 [D-POST]; chat.update msg_too_long at 4,000 [D-UPD]
  messageTextRecommended: 4_000,
  messageTextTruncatedAfter: 40_000,
  // markdown_text ≤ 12,000 [D-POST]
  markdownText: 12_000,

  // Identifiers [D-HEADER][D-SECTION][D-BUTTON]
  blockId: 255,
  actionId: 255,

  // Text objects: plain_text / mrkdwn need at least 1 character [D-SECTION]
  textMinLength: 1,

  // section [D-SECTION]
  sectionText: 3_000,
  sectionFields: 10,
  sectionFieldText: 2_000,
  // header: plain_text ≤ 150 [D-HEADER]
  headerText: 150,
  // context: ≤ 10 elements [D-CONTEXT]
  contextElements: 10,
  // actions: ≤ 25 elements [PY ActionsBlock.elements_max_length]
  actionsElements: 25,
  // image block [PY ImageBlock]
  imageUrl: 3_000,
  imageAltText: 2_000,
  imageTitle: 2_000,
  // input block label / hint [PY InputBlock]
  inputLabel: 2_000,
  inputHint: 2_000,
  // markdown block [PY MarkdownBlock]
  markdownBlockText: 12_000,
  // video block [PY VideoBlock]
  videoTitle: 200,
  videoDescription: 200,
  videoAuthorName: 50,

  // button [D-BUTTON]
  buttonText: 75,
  buttonValue: 2_000,
  buttonUrl: 3_000,
  buttonAccessibilityLabel: 75,

  // select menus, options, option groups [PY Option, OptionGroup, StaticSelectElement]
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionUrl: 3_000,
  selectOptions: 100,
  selectOptionGroups: 100,
  optionGroupLabel: 75,
  optionGroupOptions: 100,
  // checkboxes and radio buttons hold ≤ 10 options; overflow menus 1–5 [PY CheckboxesElement, RadioButtonsElement, OverflowMenuElement]
  checkboxesOptions: 10,
  radioButtonsOptions: 10,
  overflowOptions: 5,
  // plain_text_input min_length ≤ 3,000 [PY PlainTextInputElement]
  plainTextInputMinLength: 3_000,

  // confirm dialog [PY ConfirmObject]
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,

  // modal views [D-MODAL][PY View]
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  privateMetadata: 3_000,
  callbackId: 255,
  externalId: 255,
  viewStack: 3,
} as const;

export type BlockKitLimit = keyof typeof BLOCK_KIT_LIMITS;

/** The surfaces blocks can appear on. */
export const SURFACES = ['message', 'modal', 'home'] as const;
export type Surface = (typeof SURFACES)[number];

/** How many blocks a surface may hold. */
export const BLOCKS_PER_SURFACE: Record<Surface, number> = {
  message: BLOCK_KIT_LIMITS.blocksPerMessage,
  modal: BLOCK_KIT_LIMITS.blocksPerModal,
  home: BLOCK_KIT_LIMITS.blocksPerHome,
};

/** Length as Slack counts it: characters, so an emoji or an accented letter counts once. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
