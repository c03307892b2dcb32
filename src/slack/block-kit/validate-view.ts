/**
 * Validation of a view object for views.open / views.push / views.update / views.publish:
 * a modal or a Home tab, its title and buttons, metadata and blocks [D-MODAL][PY View].
 * Paths start at /view, as Slack reports them for views.* (e.g. "missing required field: title").
 */
import { BLOCK_KIT_LIMITS as L } from './limits.ts';
import { type BlockKitProblem, ProblemList, pointer } from './problem-list.ts';
import { checkBlocks } from './validate-blocks.ts';
import { checkTextField } from './validate-composition.ts';

export const VIEW_TYPES = ['modal', 'home'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

export function validateView(view: unknown, path = '/view'): BlockKitProblem[] {
  const list = new ProblemList();
  const obj = list.object(view, path);
  if (!obj) return list.problems;
  const type = list.enumValue(obj, 'type', path, VIEW_TYPES, true);
  if (!type) return list.problems;

  if (type === 'modal') {
    checkTextField(list, obj, 'title', path, { required: true, max: L.modalTitle, plainOnly: true });
    checkTextField(list, obj, 'close', path, { max: L.modalClose, plainOnly: true });
    checkTextField(list, obj, 'submit', path, { max: L.modalSubmit, plainOnly: true });
    // "submit ... Required if an input block is within the blocks array" [D-MODAL]
    const hasInput = Array.isArray(obj.blocks) && obj.blocks.some((b) => typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'input');
    if (hasInput && obj.submit === undefined) list.missing(path, 'submit');
    list.boolean(obj, 'clear_on_close', path);
    list.boolean(obj, 'notify_on_close', path);
    list.boolean(obj, 'submit_disabled', path);
  }
  list.string(obj, 'private_metadata', path, { max: L.privateMetadata });
  list.string(obj, 'callback_id', path, { max: L.callbackId });
  list.string(obj, 'external_id', path, { min: 1, max: L.externalId });

  if (obj.blocks === undefined) list.missing(path, 'blocks');
  else checkBlocks(list, obj.blocks, type, pointer(path, 'blocks'));
  return list.problems;
}
