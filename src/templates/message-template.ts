/**
 * The shape of a message template as stored and sent over the API. See docs/templates.md for the
 * full language: Liquid in every string leaf, `$each` / `$if` directives inside arrays.
 */
export interface MessageTemplate {
  /** Liquid template for the notification/fallback text (always required: Slack uses it for notifications and screen readers). */
  text: string;
  /** Block Kit blocks as JSON whose string leaves are Liquid templates (see docs/templates.md). Optional. */
  blocks?: unknown[];
}

/** The top-level fields a template may have; anything else is reported by checkTemplate. */
export const MESSAGE_TEMPLATE_FIELDS = ['text', 'blocks'] as const;

/** A problem found in a template, with a JSON pointer into the template (e.g. /blocks/0/text/text). */
export interface TemplateProblem {
  path: string;
  message: string;
}
