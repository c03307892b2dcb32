/**
 * The worker thread behind RenderPool: renders one message at a time on its own event loop, so a
 * preview of a costly template never stalls the gateway's requests.
 */
import { parentPort } from 'node:worker_threads';
import { SwitchboardError } from '../errors.ts';
import { setDefaultRenderLimits, type RenderLimits } from './render-budget.ts';
import { checkTemplate, renderMessage, type MessageTemplate, type TemplateContext } from './render-message.ts';

export interface RenderJob {
  id: number;
  limits: RenderLimits;
  template: MessageTemplate;
  context: TemplateContext;
}

export type RenderReply =
  | { id: number; started: true }
  | { id: number; ok: true; message: ReturnType<typeof renderMessage> }
  | { id: number; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

parentPort?.on('message', (job: RenderJob) => {
  let reply: RenderReply;
  parentPort!.postMessage({ id: job.id, started: true } satisfies RenderReply);
  try {
    setDefaultRenderLimits(job.limits);
    const problems = checkTemplate(job.template);
    if (problems.length) {
      const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new SwitchboardError('template_invalid', `template has problems: ${summary}`, { problems });
    }
    reply = { id: job.id, ok: true, message: renderMessage(job.template, job.context) };
  } catch (error) {
    const e = error instanceof SwitchboardError ? error : new SwitchboardError('template_invalid', `The template could not be rendered: ${(error as Error).message}`);
    reply = { id: job.id, ok: false, error: { code: e.code, message: e.message, details: e.details } };
  }
  parentPort!.postMessage(reply);
});
