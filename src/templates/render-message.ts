/**
 * Renders an event into a Slack message: Liquid in every string leaf of the template (event data
 * escaped for mrkdwn where Slack parses it), then the result fitted to Block Kit limits and checked
 * with validateBlocks, so what comes out is something Slack accepts whatever the data held.
 * Synchronous and cached (each template string is parsed once) because ingest renders in bulk.
 */
import { ValidationError } from '../errors.ts';
import type { Severity } from '../event-types/severity.ts';
import { validateBlocks } from '../slack/block-kit/validate-blocks.ts';
import { compileTemplate } from './compile-template.ts';
import { fitBlocks, fitFallbackText } from './fit-blocks.ts';
import type { MessageTemplate, TemplateProblem } from './message-template.ts';
import { renderTree } from './render-tree.ts';
import { RenderBudget } from './render-budget.ts';
import { LeafScope } from './template-engine.ts';

export { checkTemplate } from './check-template.ts';
export type { MessageTemplate, TemplateProblem } from './message-template.ts';

export interface TemplateContext {
  event: {
    id?: string;
    type: string;
    severity: Severity;
    subject?: string | null;
    occurred_at: string;
    key?: string | null;
  };
  data: Record<string, unknown>;
  project: { name: string };
  /** A subject's first event, for the events after it (absent for the first and for events without subject). */
  root?: { type: string; data: Record<string, unknown>; occurred_at: string } | null;
}

export interface RenderedMessage {
  text: string;
  blocks?: unknown[];
}

function invalid(message: string, problems: TemplateProblem[], extra: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(message, { problems, ...extra }, 'template_invalid');
}

/**
 * Throws ValidationError `template_invalid` (details.problems) when the template is malformed or
 * renders into blocks Slack would reject for a reason other than length (e.g. an unknown block type).
 */
export function renderMessage(template: MessageTemplate, context: TemplateContext, budget: RenderBudget = new RenderBudget()): RenderedMessage {
  const compiled = compileTemplate(template);
  if (compiled.problems.length > 0) {
    throw invalid(`The message template is invalid: ${compiled.problems[0].path} ${compiled.problems[0].message}`, compiled.problems);
  }
  const variables = { event: context.event, data: context.data ?? {}, project: context.project, ...(context.root ? { root: context.root } : {}) };
  const scope = new LeafScope(variables, budget);
  // An empty notification text would be rejected (no_text); the event type still tells the reader something.
  const text = fitFallbackText(String(renderTree(compiled.text, scope) ?? ''), context.event.type);
  if (compiled.blocks === undefined) return { text };

  const rendered = renderTree(compiled.blocks, scope);
  const blocks = fitBlocks(Array.isArray(rendered) ? rendered : []);
  const problems = validateBlocks(blocks, 'message');
  if (problems.length > 0) {
    throw invalid(`The rendered message breaks Block Kit rules: ${problems[0].path} ${problems[0].message}`, problems, {
      stage: 'rendered',
    });
  }
  // Everything rendered away (all blocks conditional): send the text alone rather than an empty list.
  return blocks.length > 0 ? { text, blocks } : { text };
}
