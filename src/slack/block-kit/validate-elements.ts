/**
 * Block elements: buttons, menus, pickers, inputs and the image element. Each container block
 * (section accessory, actions, input, context) accepts its own subset; an element type Slack does
 * not know, or one the container does not accept, is an "unsupported type".
 */
import { BLOCK_KIT_LIMITS as L } from './limits.ts';
import { type JsonObject, type ProblemList, pointer } from './problem-list.ts';
import { checkConfirm, checkOption, checkOptionGroups, checkOptions, checkTextField } from './validate-composition.ts';

export const BUTTON_STYLES = ['primary', 'danger'] as const;

const SELECTS = [
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select',
] as const;

/** Which elements each container accepts [docs.slack.dev/reference/block-kit/blocks/*]. */
export const ELEMENTS_BY_CONTAINER = {
  accessory: ['button', 'checkboxes', 'datepicker', 'image', 'overflow', 'radio_buttons', 'timepicker', 'workflow_button', ...SELECTS],
  actions: ['button', 'checkboxes', 'datepicker', 'datetimepicker', 'overflow', 'radio_buttons', 'timepicker', 'workflow_button', ...SELECTS],
  input: [
    'checkboxes', 'datepicker', 'datetimepicker', 'email_text_input', 'file_input', 'number_input', 'plain_text_input',
    'radio_buttons', 'rich_text_input', 'timepicker', 'url_text_input', ...SELECTS,
  ],
} as const;
export type ElementContainer = keyof typeof ELEMENTS_BY_CONTAINER;

/** Checks the fields particular to one element type. */
type ElementCheck = (list: ProblemList, element: JsonObject, path: string) => void;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isRealDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function placeholder(list: ProblemList, element: JsonObject, path: string): void {
  checkTextField(list, element, 'placeholder', path, { max: L.placeholder, plainOnly: true });
}

function initialOption(list: ProblemList, element: JsonObject, path: string, allowMrkdwn = false): void {
  if (element.initial_option !== undefined) checkOption(list, element.initial_option, pointer(path, 'initial_option'), { allowMrkdwn });
}

function initialOptions(list: ProblemList, element: JsonObject, path: string, allowMrkdwn = false): void {
  checkOptions(list, element, 'initial_options', path, { max: L.selectOptions }, { allowMrkdwn });
}

function stringList(list: ProblemList, element: JsonObject, field: string, path: string): void {
  const items = list.array(element, field, path);
  items?.forEach((item, i) => {
    if (typeof item !== 'string') list.add(pointer(pointer(path, field), i), 'must provide a string');
  });
}

function multi(list: ProblemList, element: JsonObject, path: string): void {
  list.integer(element, 'max_selected_items', path, { min: 1 });
}

function staticOptions(list: ProblemList, element: JsonObject, path: string): void {
  const hasOptions = element.options !== undefined;
  const hasGroups = element.option_groups !== undefined;
  // Static menus take options or option_groups, never both [PY StaticSelectElement]
  if (hasOptions && hasGroups) list.add(path, 'must provide only one of options or option_groups');
  if (!hasOptions && !hasGroups) list.add(path, 'must provide either options or option_groups');
  if (hasOptions) checkOptions(list, element, 'options', path, { min: 1, max: L.selectOptions });
  if (hasGroups) checkOptionGroups(list, element, path);
}

const CHECKS: Record<string, ElementCheck> = {
  button(list, el, path) {
    checkTextField(list, el, 'text', path, { required: true, max: L.buttonText, plainOnly: true });
    list.string(el, 'url', path, { min: 1, max: L.buttonUrl });
    list.string(el, 'value', path, { max: L.buttonValue });
    list.enumValue(el, 'style', path, BUTTON_STYLES);
    list.string(el, 'accessibility_label', path, { min: 1, max: L.buttonAccessibilityLabel });
    checkConfirm(list, el, path);
  },
  workflow_button(list, el, path) {
    checkTextField(list, el, 'text', path, { required: true, max: L.buttonText, plainOnly: true });
    if (el.workflow === undefined) list.missing(path, 'workflow');
    else list.object(el.workflow, pointer(path, 'workflow'));
    list.enumValue(el, 'style', path, BUTTON_STYLES);
    list.string(el, 'accessibility_label', path, { min: 1, max: L.buttonAccessibilityLabel });
  },
  static_select(list, el, path) {
    placeholder(list, el, path);
    staticOptions(list, el, path);
    initialOption(list, el, path);
    checkConfirm(list, el, path);
  },
  multi_static_select(list, el, path) {
    placeholder(list, el, path);
    staticOptions(list, el, path);
    initialOptions(list, el, path);
    multi(list, el, path);
    checkConfirm(list, el, path);
  },
  external_select(list, el, path) {
    placeholder(list, el, path);
    initialOption(list, el, path);
    list.integer(el, 'min_query_length', path, { min: 0 });
    checkConfirm(list, el, path);
  },
  multi_external_select(list, el, path) {
    placeholder(list, el, path);
    initialOptions(list, el, path);
    list.integer(el, 'min_query_length', path, { min: 0 });
    multi(list, el, path);
    checkConfirm(list, el, path);
  },
  users_select(list, el, path) {
    placeholder(list, el, path);
    list.string(el, 'initial_user', path, { min: 1 });
    checkConfirm(list, el, path);
  },
  multi_users_select(list, el, path) {
    placeholder(list, el, path);
    stringList(list, el, 'initial_users', path);
    multi(list, el, path);
    checkConfirm(list, el, path);
  },
  conversations_select(list, el, path) {
    placeholder(list, el, path);
    list.string(el, 'initial_conversation', path, { min: 1 });
    list.boolean(el, 'default_to_current_conversation', path);
    list.boolean(el, 'response_url_enabled', path);
    if (el.filter !== undefined) list.object(el.filter, pointer(path, 'filter'));
    checkConfirm(list, el, path);
  },
  multi_conversations_select(list, el, path) {
    placeholder(list, el, path);
    stringList(list, el, 'initial_conversations', path);
    list.boolean(el, 'default_to_current_conversation', path);
    if (el.filter !== undefined) list.object(el.filter, pointer(path, 'filter'));
    multi(list, el, path);
    checkConfirm(list, el, path);
  },
  channels_select(list, el, path) {
    placeholder(list, el, path);
    list.string(el, 'initial_channel', path, { min: 1 });
    list.boolean(el, 'response_url_enabled', path);
    checkConfirm(list, el, path);
  },
  multi_channels_select(list, el, path) {
    placeholder(list, el, path);
    stringList(list, el, 'initial_channels', path);
    multi(list, el, path);
    checkConfirm(list, el, path);
  },
  datepicker(list, el, path) {
    placeholder(list, el, path);
    const date = list.string(el, 'initial_date', path);
    if (date !== undefined && !isRealDate(date)) list.add(pointer(path, 'initial_date'), 'must be a valid date in the format YYYY-MM-DD');
    checkConfirm(list, el, path);
  },
  timepicker(list, el, path) {
    placeholder(list, el, path);
    const time = list.string(el, 'initial_time', path);
    if (time !== undefined && !TIME.test(time)) list.add(pointer(path, 'initial_time'), 'must be a valid time in the format HH:mm');
    list.string(el, 'timezone', path, { min: 1 });
    checkConfirm(list, el, path);
  },
  datetimepicker(list, el, path) {
    list.integer(el, 'initial_date_time', path, { min: 0 });
    checkConfirm(list, el, path);
  },
  checkboxes(list, el, path) {
    checkOptions(list, el, 'options', path, { required: true, min: 1, max: L.checkboxesOptions }, { allowMrkdwn: true });
    initialOptions(list, el, path, true);
    checkConfirm(list, el, path);
  },
  radio_buttons(list, el, path) {
    checkOptions(list, el, 'options', path, { required: true, min: 1, max: L.radioButtonsOptions }, { allowMrkdwn: true });
    initialOption(list, el, path, true);
    checkConfirm(list, el, path);
  },
  overflow(list, el, path) {
    checkOptions(list, el, 'options', path, { required: true, min: 1, max: L.overflowOptions }, { allowUrl: true });
    checkConfirm(list, el, path);
  },
  plain_text_input(list, el, path) {
    placeholder(list, el, path);
    list.string(el, 'initial_value', path);
    list.boolean(el, 'multiline', path);
    const min = list.integer(el, 'min_length', path, { min: 0, max: L.plainTextInputMinLength });
    const max = list.integer(el, 'max_length', path, { min: 1 });
    if (min !== undefined && max !== undefined && min > max) list.add(pointer(path, 'min_length'), 'must be at most max_length');
    if (el.dispatch_action_config !== undefined) list.object(el.dispatch_action_config, pointer(path, 'dispatch_action_config'));
  },
  email_text_input(list, el, path) {
    placeholder(list, el, path);
    list.string(el, 'initial_value', path);
  },
  url_text_input(list, el, path) {
    placeholder(list, el, path);
    list.string(el, 'initial_value', path);
  },
  number_input(list, el, path) {
    placeholder(list, el, path);
    if (el.is_decimal_allowed === undefined) list.missing(path, 'is_decimal_allowed');
    list.boolean(el, 'is_decimal_allowed', path);
    for (const field of ['initial_value', 'min_value', 'max_value']) list.string(el, field, path);
  },
  rich_text_input(list, el, path) {
    placeholder(list, el, path);
    if (el.initial_value !== undefined) list.object(el.initial_value, pointer(path, 'initial_value'));
  },
  file_input(list, el, path) {
    stringList(list, el, 'filetypes', path);
    list.integer(el, 'max_files', path, { min: 1, max: 10 });
  },
  image(list, el, path) {
    checkImageSource(list, el, path);
    list.string(el, 'alt_text', path, { required: true, min: 1, max: L.imageAltText });
  },
};

/** Every element type this validator knows. */
export const ELEMENT_TYPES = Object.keys(CHECKS);

/** image_url ≤ 3,000 or a slack_file object, exactly one [PY ImageBlock / ImageElement]. */
export function checkImageSource(list: ProblemList, owner: JsonObject, path: string): void {
  const hasUrl = owner.image_url !== undefined;
  const hasFile = owner.slack_file !== undefined;
  if (hasUrl && hasFile) list.add(path, 'must provide only one of image_url or slack_file');
  if (!hasUrl && !hasFile) list.missing(path, 'image_url');
  if (hasUrl) list.string(owner, 'image_url', path, { min: 1, max: L.imageUrl });
  if (hasFile) list.object(owner.slack_file, pointer(path, 'slack_file'));
}

/**
 * Checks one element inside `container`. `actionIds` collects the action_ids of the enclosing
 * block: "action_id ... should be unique among all other action_ids in the containing block"
 * [D-BUTTON].
 */
export function checkElement(list: ProblemList, value: unknown, path: string, container: ElementContainer, actionIds: Set<string>): void {
  const element = list.object(value, path);
  if (!element) return;
  const type = element.type;
  if (type === undefined) {
    list.missing(path, 'type');
    return;
  }
  const allowed: readonly string[] = ELEMENTS_BY_CONTAINER[container];
  if (typeof type !== 'string' || !allowed.includes(type)) {
    list.add(pointer(path, 'type'), `unsupported type: ${String(type)}`);
    return;
  }
  const actionId = list.string(element, 'action_id', path, { min: 1, max: L.actionId });
  if (actionId !== undefined) {
    if (actionIds.has(actionId)) list.add(pointer(path, 'action_id'), `duplicate action_id: ${actionId}`);
    actionIds.add(actionId);
  }
  list.boolean(element, 'focus_on_load', path);
  CHECKS[type]!(list, element, path);
}
