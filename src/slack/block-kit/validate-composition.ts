/**
 * Block Kit composition objects: text objects (plain_text / mrkdwn), options, option groups and
 * confirm dialogs. Blocks and elements call these for their nested fields.
 */
import { BLOCK_KIT_LIMITS as L } from './limits.ts';
import { type JsonObject, type ProblemList, pointer } from './problem-list.ts';

export const TEXT_TYPES = ['plain_text', 'mrkdwn'] as const;
export type TextType = (typeof TEXT_TYPES)[number];

export interface TextRule {
  required?: boolean;
  /** Maximum characters of the inner `text`. */
  max: number;
  /** Only plain_text is accepted (header text, labels, button text...). */
  plainOnly?: boolean;
}

/**
 * Checks owner[field] is a text object. Slack points length problems at the inner string
 * ("must be less than 151 characters [json-pointer:/blocks/0/text/text]") and type problems at
 * the `type` field ("must be a valid enum value").
 */
export function checkTextField(list: ProblemList, owner: JsonObject, field: string, ownerPath: string, rule: TextRule): JsonObject | undefined {
  const value = owner[field];
  if (value === undefined || value === null) {
    if (rule.required) list.missing(ownerPath, field);
    return undefined;
  }
  return checkTextObject(list, value, pointer(ownerPath, field), rule);
}

export function checkTextObject(list: ProblemList, value: unknown, path: string, rule: TextRule): JsonObject | undefined {
  const text = list.object(value, path);
  if (!text) return undefined;
  const allowed = rule.plainOnly ? (['plain_text'] as const) : TEXT_TYPES;
  const type = list.enumValue(text, 'type', path, allowed, true);
  list.string(text, 'text', path, { required: true, min: L.textMinLength, max: rule.max });
  if (type === 'plain_text') list.boolean(text, 'emoji', path);
  if (type === 'mrkdwn') list.boolean(text, 'verbatim', path);
  return text;
}

export interface OptionRule {
  /** Checkboxes and radio buttons accept mrkdwn option text; menus accept plain_text only. */
  allowMrkdwn?: boolean;
  /** Overflow menu options may carry a url. */
  allowUrl?: boolean;
}

/** An option object: text ≤ 75, value ≤ 150, description ≤ 75 [PY Option]. */
export function checkOption(list: ProblemList, value: unknown, path: string, rule: OptionRule = {}): JsonObject | undefined {
  const option = list.object(value, path);
  if (!option) return undefined;
  checkTextField(list, option, 'text', path, { required: true, max: L.optionText, plainOnly: !rule.allowMrkdwn });
  list.string(option, 'value', path, { required: true, max: L.optionValue });
  checkTextField(list, option, 'description', path, { max: L.optionDescription, plainOnly: !rule.allowMrkdwn });
  if (option.url !== undefined) {
    if (rule.allowUrl) list.string(option, 'url', path, { min: 1, max: L.optionUrl });
    else list.add(pointer(path, 'url'), 'unsupported field: url');
  }
  return option;
}

/** A list of options under owner[field]; returns the values seen so initial options can be matched. */
export function checkOptions(
  list: ProblemList,
  owner: JsonObject,
  field: string,
  ownerPath: string,
  bounds: { required?: boolean; min?: number; max: number },
  rule: OptionRule = {},
): JsonObject[] {
  const items = list.array(owner, field, ownerPath, bounds);
  if (!items) return [];
  const path = pointer(ownerPath, field);
  const options: JsonObject[] = [];
  items.forEach((item, i) => {
    const option = checkOption(list, item, pointer(path, i), rule);
    if (option) options.push(option);
  });
  return options;
}

/** option_groups: each a label ≤ 75 plus ≤ 100 options [PY OptionGroup]. */
export function checkOptionGroups(list: ProblemList, owner: JsonObject, ownerPath: string): JsonObject[] {
  const groups = list.array(owner, 'option_groups', ownerPath, { min: 1, max: L.selectOptionGroups });
  if (!groups) return [];
  const path = pointer(ownerPath, 'option_groups');
  const options: JsonObject[] = [];
  groups.forEach((item, i) => {
    const groupPath = pointer(path, i);
    const group = list.object(item, groupPath);
    if (!group) return;
    checkTextField(list, group, 'label', groupPath, { required: true, max: L.optionGroupLabel, plainOnly: true });
    options.push(...checkOptions(list, group, 'options', groupPath, { required: true, min: 1, max: L.optionGroupOptions }));
  });
  return options;
}

export const CONFIRM_STYLES = ['primary', 'danger'] as const;

/** A confirm dialog: title ≤ 100, text ≤ 300, confirm/deny ≤ 30, all required [PY ConfirmObject]. */
export function checkConfirm(list: ProblemList, owner: JsonObject, ownerPath: string): void {
  if (owner.confirm === undefined) return;
  const path = pointer(ownerPath, 'confirm');
  const confirm = list.object(owner.confirm, path);
  if (!confirm) return;
  checkTextField(list, confirm, 'title', path, { required: true, max: L.confirmTitle, plainOnly: true });
  checkTextField(list, confirm, 'text', path, { required: true, max: L.confirmText });
  checkTextField(list, confirm, 'confirm', path, { required: true, max: L.confirmButton, plainOnly: true });
  checkTextField(list, confirm, 'deny', path, { required: true, max: L.confirmButton, plainOnly: true });
  list.enumValue(confirm, 'style', path, CONFIRM_STYLES);
}
