/**
 * The approvals pack: an approval service announcing a request's life, from created to executed,
 * expired or invalidated, plus the security signals (wrong PIN, token locked) admins must see.
 */
import type { MessageTemplate } from '../templates/message-template.ts';
import type { EventTypeDefinition } from './event-type-definition.ts';
import { actions, card, context, field, fieldsSection, header, linkButton, opt, person, reply, replyText, section } from './template-parts.ts';
import { dataSchema, link, slackUser, text, time } from './data-schema-parts.ts';

/** The fields approval events carry; each type requires the ones its message cannot do without. */
const approvalFields = {
  key: text("The approval request's id in your app, shown in every message about it (e.g. APR-2041)"),
  action: text('What is to be approved, in one line'),
  info: text('More about the request (amounts, reasons, references)'),
  requester: text('Name of the person who asked for the approval'),
  requester_id: slackUser("The requester's"),
  approver: text('Name of the person who approves (or approved)'),
  approver_id: slackUser("The approver's"),
  expiry: time('When the request expires'),
  url: link('The request in your app (a button)'),
  reason: text('Why it happened, in words'),
  attempts: { type: ['integer', 'string'], description: 'Failed PIN attempts: a number, or text such as "3 of 5"' },
};

const requester = person('data.requester_id', 'data.requester');
const approver = person('data.approver_id', 'data.approver');
const footer = context(`${opt('data.key', 'Approval `', '` · ')}{{ project.name }} · {{ event.occurred_at | slack_date }}`);
/** The action in bold over its details; nothing for what is missing. */
const request = section(`${opt('data.action', '*', '*')}{% if data.action and data.info %}\n{% endif %}${opt('data.info')}`);
const requestedBy = field('Requested by', requester, 'data.requester');
const keyField = field('Key', '`{{ data.key }}`', 'data.key');

/**
 * The approval request's first message, as it reads once the request is settled: no buttons left.
 * It is rendered with the subject's data (the request's fields, overlaid by the settling event's).
 */
function settledRoot(title: string, text: string, extra: unknown[] = []): MessageTemplate {
  return {
    text,
    blocks: [header(title), request, fieldsSection([requestedBy, ...extra, keyField]), footer],
  };
}

const baseSample = {
  key: 'APR-2041',
  action: 'Wire transfer of $12,500 to Acme Supplies Ltd',
  info: 'Quarterly invoice INV-88213 for office equipment, due 15 January.',
  requester: 'Alice Admin',
  requester_id: 'U00000001',
  approver: 'Bob Builder',
  approver_id: 'U00000002',
  expiry: '2026-01-15T17:00:00Z',
  url: 'https://approvals.example.com/requests/APR-2041',
};

export const APPROVAL_EVENT_TYPES: readonly EventTypeDefinition[] = [
  {
    name: 'approval.created',
    pack: 'approvals',
    description: 'Someone asked for an approval; approvers should review it before it expires.',
    dataSchema: dataSchema(approvalFields, ['key', 'action', 'requester']),
    defaultSeverity: 'medium',
    ttlSeconds: null,
    template: {
      text: `🔔 New approval request in {{ project.name }}${opt('data.action', ': ')}${opt('data.requester', ' (requested by ', ')')}`,
      blocks: [
        header('🔔 New approval request in {{ project.name }}'),
        request,
        fieldsSection([
          requestedBy,
          field('Approver', approver, 'data.approver'),
          field('Expires', '{{ data.expiry | slack_date }}', 'data.expiry'),
          keyField,
        ]),
        actions(linkButton('Review request', 'data.url', 'primary')),
        footer,
      ],
    },
    sampleData: baseSample,
  },
  {
    name: 'approval.executed',
    pack: 'approvals',
    description: 'An approval was granted and the approved action was carried out.',
    dataSchema: dataSchema(approvalFields, ['key', 'approver']),
    defaultSeverity: 'info',
    ttlSeconds: null,
    template: {
      text: replyText(
        `✅ Approved${opt('data.approver', ' by ')}`,
        `✅ Approved and executed in {{ project.name }}${opt('data.action', ': ')}${opt('data.approver', ' (approved by ', ')')}`,
      ),
      blocks: [
        reply(`✅ Approved{% if data.approver_id or data.approver %} by ${approver}{% endif %}`),
        ...card(
          header('✅ Approval executed'),
          request,
          fieldsSection([field('Approved by', approver, 'data.approver'), requestedBy, keyField]),
          actions(linkButton('View record', 'data.url')),
          footer,
        ),
      ],
    },
    subjectPolicy: {
      action: 'update_and_thread',
      updateTemplate: settledRoot(
        `✅ Approved${opt('data.approver', ' by ')}`,
        `✅ Approved${opt('data.approver', ' by ')}${opt('data.action', ': ')}`,
        [field('Approved by', approver, 'data.approver')],
      ),
    },
    sampleData: { ...baseSample },
  },
  {
    name: 'approval.expired',
    pack: 'approvals',
    description: 'An approval request reached its expiry without a decision; the action was not carried out.',
    dataSchema: dataSchema(approvalFields, ['key']),
    defaultSeverity: 'low',
    ttlSeconds: null,
    template: {
      text: replyText('⌛ Expired without a decision', `⌛ Approval request expired in {{ project.name }}${opt('data.action', ': ')}`),
      blocks: [
        reply('⌛ Expired without a decision, so nothing was executed.'),
        ...card(
          header('⌛ Approval request expired'),
          section(`{% if data.action %}*{{ data.action }}*{% else %}The request{% endif %} was not approved in time, so nothing was executed.`),
          fieldsSection([requestedBy, field('Expired', '{{ data.expiry | slack_date }}', 'data.expiry'), keyField]),
          actions(linkButton('Request again', 'data.url')),
          footer,
        ),
      ],
    },
    subjectPolicy: {
      action: 'update_and_thread',
      updateTemplate: settledRoot('⌛ Expired without a decision', `⌛ Expired without a decision${opt('data.action', ': ')}`),
    },
    sampleData: { ...baseSample },
  },
  {
    name: 'approval.invalidated',
    pack: 'approvals',
    description: 'An approval request was withdrawn or became invalid before a decision (the reason says why).',
    dataSchema: dataSchema(approvalFields, ['key']),
    defaultSeverity: 'low',
    ttlSeconds: null,
    template: {
      text: replyText(
        `🚫 Invalidated${opt('data.reason', ': ')}`,
        `🚫 Approval request invalidated in {{ project.name }}${opt('data.action', ': ')}${opt('data.reason', ' (', ')')}`,
      ),
      blocks: [
        reply(`🚫 Invalidated{% if data.reason %}: {{ data.reason }}{% else %} (no reason was given){% endif %}`),
        ...card(
          header('🚫 Approval request invalidated'),
          section(`${opt('data.action', '*', '*\n')}{% if data.reason %}Reason: {{ data.reason }}{% else %}No reason was given.{% endif %}`),
          fieldsSection([requestedBy, keyField]),
          footer,
        ),
      ],
    },
    subjectPolicy: { action: 'update_and_thread', updateTemplate: settledRoot('🚫 Invalidated', `🚫 Invalidated${opt('data.action', ': ')}`) },
    sampleData: { ...baseSample, reason: 'The invoice amount changed after the request was made.' },
  },
  {
    name: 'approval.pin_failed',
    pack: 'approvals',
    description: 'A wrong PIN was entered while approving; repeated failures lock the approval token.',
    dataSchema: dataSchema(approvalFields, ['key', 'attempts']),
    defaultSeverity: 'high',
    ttlSeconds: null,
    template: {
      text: `⚠️ Wrong PIN entered for approval${opt('data.key', ' ')} in {{ project.name }}${opt('data.attempts', ' (attempt ', ')')}`,
      blocks: [
        header('⚠️ Wrong approval PIN entered'),
        section(
          `A wrong PIN was entered${opt('data.action', ' while approving *', '*')}. If this was not {{ data.approver | default: "the approver" }}, secure the account now.`,
        ),
        fieldsSection([field('Attempts', '{{ data.attempts }}', 'data.attempts'), field('Approver', approver, 'data.approver'), keyField]),
        actions(linkButton('Review activity', 'data.url', 'danger')),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread' },
    sampleData: { ...baseSample, attempts: '3 of 5' },
  },
  {
    name: 'approval.token_locked',
    pack: 'approvals',
    description: 'The approval token was locked after too many failed PIN attempts; an admin must unlock it.',
    dataSchema: dataSchema(approvalFields, ['key', 'attempts']),
    defaultSeverity: 'high',
    ttlSeconds: null,
    template: {
      text: `🔒 Approval token locked in {{ project.name }}${opt('data.approver', ' for ')}${opt('data.attempts', ' after ', ' failed attempts')}`,
      blocks: [
        header('🔒 Approval token locked'),
        section(`The approval token{% if data.approver_id or data.approver %} of ${approver}{% endif %} is locked: no approvals can be signed with it until an admin unlocks it.`),
        fieldsSection([field('Attempts', '{{ data.attempts }}', 'data.attempts'), field('Reason', '{{ data.reason }}', 'data.reason'), keyField]),
        actions(linkButton('Unlock token', 'data.url', 'danger')),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread', replyBroadcast: true },
    sampleData: { ...baseSample, attempts: '5 of 5', reason: 'Too many wrong PIN entries' },
  },
];
