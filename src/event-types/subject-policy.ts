/** Validation of a subject policy given through the API (for a project's event type or a destination). */
import { ValidationError } from '../errors.ts';
import { checkTemplate } from '../templates/render-message.ts';
import type { MessageTemplate } from '../templates/message-template.ts';
import { SUBJECT_ACTIONS, type SubjectAction, type SubjectPolicy } from './event-type-definition.ts';

export function isSubjectAction(x: unknown): x is SubjectAction {
  return typeof x === 'string' && (SUBJECT_ACTIONS as readonly string[]).includes(x);
}

export function checkSubjectPolicy(input: unknown, field = 'subject_policy'): SubjectPolicy {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(`${field} must be an object such as {"action": "update_and_thread"}`, { field });
  }
  const { action, reply_broadcast, replyBroadcast, update_template, updateTemplate, ...rest } = input as Record<string, unknown>;
  if (Object.keys(rest).length) throw new ValidationError(`${field} has unknown fields: ${Object.keys(rest).join(', ')}`, { field });
  if (!isSubjectAction(action)) throw new ValidationError(`${field}.action must be one of ${SUBJECT_ACTIONS.join(', ')}`, { field });
  const broadcast = reply_broadcast ?? replyBroadcast;
  if (broadcast !== undefined && typeof broadcast !== 'boolean') throw new ValidationError(`${field}.reply_broadcast must be true or false`, { field });
  const template = update_template ?? updateTemplate;
  if (template !== undefined) {
    const problems = checkTemplate(template);
    if (problems.length) {
      throw new ValidationError(`${field}.update_template: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { field, problems }, 'template_invalid');
    }
  }
  return { action, ...(broadcast === undefined ? {} : { replyBroadcast: broadcast }), ...(template === undefined ? {} : { updateTemplate: template as MessageTemplate }) };
}

/** A policy as the API shows it: the same snake_case fields it is given with. */
export function subjectPolicyForApi(policy: SubjectPolicy): { action: SubjectAction; reply_broadcast?: boolean; update_template?: MessageTemplate };
export function subjectPolicyForApi(policy: SubjectPolicy | null): { action: SubjectAction; reply_broadcast?: boolean; update_template?: MessageTemplate } | null;
export function subjectPolicyForApi(policy: SubjectPolicy | null) {
  if (!policy) return null;
  return {
    action: policy.action,
    ...(policy.replyBroadcast === undefined ? {} : { reply_broadcast: policy.replyBroadcast }),
    ...(policy.updateTemplate === undefined ? {} : { update_template: policy.updateTemplate }),
  };
}
