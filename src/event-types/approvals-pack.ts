/**
 * The approvals pack: an approval service announcing a request's life, from created to executed,
 * expired or invalidated, plus the security signals (wrong PIN, token locked) admins must see.
 */
import type { MessageTemplate } from '../templates/message-template.ts';
import type { EventTypeDefinition } from './event-type-definition.ts';
import { actions, context, field, fieldsSection, header, linkButton, person, section } from './template-parts.ts';
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
const footer = context('Approval `{{ data.key }}` · {{ project.name }} · {{ event.occurred_at | slack_date }}');

/** The approval request's first message, as it reads once the request is settled: no buttons left. */
function settledRoot(title: string, text: string): MessageTemplate {
  return {
    text,
    blocks: [header(title), section('*{{ data.action }}*\n{{ data.info }}'), fieldsSection([field('Requested by', requester), field('Key', '`{{ data.key }}`')]), footer],
  };
}

const baseSample = {
  key: 'APR-2041',
  action: 'Wire transfer of $12,500 to Acme Supplies Ltd',
  info: 'Quarterly invoice INV-88213 for office equipment, due 15 January.',
  requester: 'Sarah Chen',
  requester_id: 'U04SARAHC1',
  approver: 'James Okafor',
  approver_id: 'U04JAMESO2',
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
      text: '🔔 New approval request in {{ project.name }}: {{ data.action }} (requested by {{ data.requester }})',
      blocks: [
        header('🔔 New approval request in {{ project.name }}'),
        section('*{{ data.action }}*\n{{ data.info }}'),
        fieldsSection([
          field('Requested by', requester),
          field('Approver', approver, 'data.approver'),
          field('Expires', '{{ data.expiry | slack_date }}', 'data.expiry'),
          field('Key', '`{{ data.key }}`'),
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
      text: '✅ Approved and executed in {{ project.name }}: {{ data.action }} (approved by {{ data.approver }})',
      blocks: [
        header('✅ Approval executed'),
        section('*{{ data.action }}*\n{{ data.info }}'),
        fieldsSection([
          field('Approved by', approver),
          field('Requested by', requester),
          field('Key', '`{{ data.key }}`'),
        ]),
        actions(linkButton('View record', 'data.url')),
        footer,
      ],
    },
    subjectPolicy: { action: 'update_and_thread', updateTemplate: settledRoot('✅ Approved by {{ data.approver }}', '✅ Approved by {{ data.approver }}: {{ data.action }}') },
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
      text: '⌛ Approval request expired in {{ project.name }}: {{ data.action }}',
      blocks: [
        header('⌛ Approval request expired'),
        section('*{{ data.action }}* was not approved in time, so nothing was executed.'),
        fieldsSection([
          field('Requested by', requester),
          field('Expired', '{{ data.expiry | slack_date }}', 'data.expiry'),
          field('Key', '`{{ data.key }}`'),
        ]),
        actions(linkButton('Request again', 'data.url')),
        footer,
      ],
    },
    subjectPolicy: { action: 'update_and_thread', updateTemplate: settledRoot('⌛ Expired without a decision', '⌛ Expired without a decision: {{ data.action }}') },
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
      text: '🚫 Approval request invalidated in {{ project.name }}: {{ data.action }}{% if data.reason %} ({{ data.reason }}){% endif %}',
      blocks: [
        header('🚫 Approval request invalidated'),
        section('*{{ data.action }}*\n{% if data.reason %}Reason: {{ data.reason }}{% else %}No reason was given.{% endif %}'),
        fieldsSection([field('Requested by', requester), field('Key', '`{{ data.key }}`')]),
        footer,
      ],
    },
    subjectPolicy: { action: 'update_and_thread', updateTemplate: settledRoot('🚫 Invalidated', '🚫 Invalidated: {{ data.action }}') },
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
      text: '⚠️ Wrong PIN entered for approval {{ data.key }} in {{ project.name }} (attempt {{ data.attempts }})',
      blocks: [
        header('⚠️ Wrong approval PIN entered'),
        section(
          'A wrong PIN was entered while approving *{{ data.action }}*. If this was not {{ data.approver | default: "the approver" }}, secure the account now.',
        ),
        fieldsSection([
          field('Attempts', '{{ data.attempts }}'),
          field('Approver', approver, 'data.approver'),
          field('Key', '`{{ data.key }}`'),
        ]),
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
      text: '🔒 Approval token locked in {{ project.name }} for {{ data.approver }} after {{ data.attempts }} failed attempts',
      blocks: [
        header('🔒 Approval token locked'),
        section(`The approval token of ${approver} is locked: no approvals can be signed with it until an admin unlocks it.`),
        fieldsSection([
          field('Attempts', '{{ data.attempts }}'),
          field('Reason', '{{ data.reason }}', 'data.reason'),
          field('Key', '`{{ data.key }}`'),
        ]),
        actions(linkButton('Unlock token', 'data.url', 'danger')),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread', replyBroadcast: true },
    sampleData: { ...baseSample, attempts: '5 of 5', reason: 'Too many wrong PIN entries' },
  },
];
