/** What a built-in event type is: its name, pack, defaults and the message template it renders with. */
import type { MessageTemplate } from '../templates/message-template.ts';
import type { DataSchema } from './data-schema.ts';
import type { Severity } from './severity.ts';

export const EVENT_TYPE_PACKS = ['approvals', 'gamification', 'ops'] as const;
export type EventTypePack = (typeof EVENT_TYPE_PACKS)[number];

/**
 * What a later event about the same subject does in a destination where the subject already has
 * a message (its root): post a new message, reply in the root's thread, update the root
 * (chat.update), or update it and reply. Webhook destinations cannot thread or update, so they
 * always post a new message that names the subject.
 */
export const SUBJECT_ACTIONS = ['new', 'thread', 'update', 'update_and_thread'] as const;
export type SubjectAction = (typeof SUBJECT_ACTIONS)[number];

export interface SubjectPolicy {
  action: SubjectAction;
  /** A thread reply is also shown in the channel. */
  replyBroadcast?: boolean;
  /** What the root becomes on update (e.g. "✅ Approved by Alice", buttons gone); default: this event's message. */
  updateTemplate?: MessageTemplate;
}

export interface EventTypeDefinition {
  name: string;
  pack: EventTypePack;
  description: string;
  defaultSeverity: Severity;
  /** Seconds a message stays worth delivering; null = never expires. */
  ttlSeconds: number | null;
  template: MessageTemplate;
  sampleData: Record<string, unknown>;
  /** The data contract: the fields of `data`, their types, which are required (sampleData satisfies it). */
  dataSchema: DataSchema;
  /** For events with a subject; absent means every event posts a new message. */
  subjectPolicy?: SubjectPolicy;
}
