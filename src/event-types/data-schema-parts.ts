/**
 * Small builders for the data schemas of the built-in packs, so each pack lists its fields as a
 * reader would: name, type and what it is. They return plain JSON Schema (see data-schema.ts).
 */
import type { DataSchema, JsonSchema } from './data-schema.ts';

export const text = (description: string): JsonSchema => ({ type: 'string', description });
export const number = (description: string): JsonSchema => ({ type: 'number', description });
export const integer = (description: string): JsonSchema => ({ type: 'integer', description });
/** A link, shown as a button or a link. */
export const link = (description: string): JsonSchema => ({ type: 'string', format: 'uri', description });
/** A time: ISO 8601 is shown in each reader's time zone; other text is shown as written. */
export const time = (description: string): JsonSchema => ({ type: 'string', description: `${description}: an ISO 8601 time such as 2026-01-15T17:00:00Z (shown in each reader's time zone), or words` });
/** A Slack user id; when set, the message mentions the person instead of printing a name. */
export const slackUser = (whose: string): JsonSchema => ({
  type: 'string',
  description: `${whose} Slack user id (U…); when set, the message mentions them instead of printing the name`,
});
export const list = (items: JsonSchema, description: string): JsonSchema => ({ type: 'array', items, description });
export const object = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: true,
});

/**
 * The schema of a built-in type's data. Fields a project's own template may want beyond these are
 * allowed (with a warning naming them, so a misspelt field is noticed).
 */
export function dataSchema(properties: Record<string, JsonSchema>, required: string[]): DataSchema {
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: true };
}
