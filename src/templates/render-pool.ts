/**
 * Renders messages on a worker thread, for the requests that render a template someone just typed
 * (previews): a costly one then uses the worker's time, not the gateway's event loop, and other
 * requests are answered while it runs. The render budget (render-budget.ts) still ends it; if the
 * worker ever stops answering (a bug in a filter, say) it is ended after `hardTimeoutMs` and a new one
 * starts for the next job. Ingest renders on the main thread: it is the hot path, and its templates
 * were checked when saved.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SwitchboardError } from '../errors.ts';
import { defaultRenderLimits } from './render-budget.ts';
import type { MessageTemplate, RenderedMessage, TemplateContext } from './render-message.ts';
import type { RenderReply } from './render-worker.ts';

interface Pending {
  resolve(message: RenderedMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class RenderPool extends EventEmitter<{ started: [id: number] }> {
  #worker: Worker | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(private readonly hardTimeoutMs = 5_000) {
    super();
  }

  render(template: MessageTemplate, context: TemplateContext): Promise<RenderedMessage> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<RenderedMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(new SwitchboardError('template_invalid', `The template took longer than ${this.hardTimeoutMs} ms to render and was stopped: simplify its loops`));
      }, this.hardTimeoutMs);
      timer.unref();
      this.#pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, template, context, limits: defaultRenderLimits() });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./render-worker-entry.mjs', import.meta.url));
    worker.unref(); // an idle render worker never keeps the process alive
    worker.on('message', (reply: RenderReply) => {
      if ('started' in reply) {
        this.emit('started', reply.id);
        return;
      }
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      clearTimeout(pending.timer);
      if (reply.ok) pending.resolve(reply.message);
      else pending.reject(new SwitchboardError(reply.error.code, reply.error.message, reply.error.details));
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', () => {
      if (this.#worker === worker) this.#fail(new Error('the render worker stopped'));
    });
    this.#worker = worker;
    return worker;
  }

  /** Rejects every job in flight and drops the worker; the next job starts a new one. */
  #fail(error: Error): void {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
    void worker?.terminate();
  }
}

let shared: RenderPool | undefined;

/** The process's render pool for previews (its worker starts at the first preview). */
export function sharedRenderPool(): RenderPool {
  shared ??= new RenderPool();
  return shared;
}
