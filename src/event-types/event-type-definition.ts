/** What a built-in event type is: its name, pack, defaults and the message template it renders with. */
import type { MessageTemplate } from '../templates/message-template.ts';
import type { Severity } from './severity.ts';

export const EVENT_TYPE_PACKS = ['approvals', 'gamification', 'ops'] as const;
export type EventTypePack = (typeof EVENT_TYPE_PACKS)[number];

export interface EventTypeDefinition {
  name: string;
  pack: EventTypePack;
  description: string;
  defaultSeverity: Severity;
  /** Seconds a message stays worth delivering; null = never expires. */
  ttlSeconds: number | null;
  template: MessageTemplate;
  sampleData: Record<string, unknown>;
}
