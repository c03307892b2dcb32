/**
 * Renders messages on a worker thread, for the requests that render a template someone just typed
 * (previews): a costly one then uses the worker's time, not the gateway's event loop, and other
 * requests are answered while it runs. The render budget (render-budget.ts) still ends it.
 *
 * Jobs run one at a time, in arrival order. Only the job running is timed: if the worker ever stops
 * answering (a bug in a filter, say) that job fails after `hardTimeoutMs`, the worker is replaced,
 * and the jobs behind it go on. At most `maxQueued` jobs wait; more are refused at once.
 * Ingest renders on the main thread: it is the hot path, and its templates were checked when saved.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SwitchboardError } from '../errors.ts';
import { defaultRenderLimits } from './render-budget.ts';
import type { MessageTemplate, RenderedMessage, TemplateContext } from './render-message.ts';
import type { RenderJob, RenderReply } from './render-worker.ts';

interface Job {
  message: RenderJob;
  resolve(message: RenderedMessage): void;
  reject(error: Error): void;
}

export class RenderPool extends EventEmitter<{ started: [id: number] }> {
  #worker: Worker | undefined;
  #queue: Job[] = [];
  #running: (Job & { timer: NodeJS.Timeout }) | undefined;
  #nextId = 1;

  constructor(
    private readonly hardTimeoutMs = 5_000,
    private readonly maxQueued = 50,
  ) {
    super();
  }

  render(template: MessageTemplate, context: TemplateContext): Promise<RenderedMessage> {
    if (this.#queue.length >= this.maxQueued) {
      return Promise.reject(new SwitchboardError('previews_busy', `${this.#queue.length} previews are waiting to render: try again in a few seconds`));
    }
    return new Promise<RenderedMessage>((resolve, reject) => {
      this.#queue.push({ message: { id: this.#nextId++, template, context, limits: defaultRenderLimits() }, resolve, reject });
      this.#next();
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const job of this.#queue.splice(0)) job.reject(new Error('the render pool was closed'));
    await worker?.terminate();
  }

  #next(): void {
    if (this.#running) return;
    const job = this.#queue.shift();
    if (!job) return;
    const timer = setTimeout(() => {
      this.#replaceWorker(); // first, so the next job goes to a new worker
      this.#finish(job.message.id, new SwitchboardError('template_invalid', `The template took longer than ${this.hardTimeoutMs} ms to render and was stopped: simplify its loops`));
    }, this.hardTimeoutMs);
    timer.unref();
    this.#running = { ...job, timer };
    this.#start().postMessage(job.message);
  }

  #finish(id: number, outcome: RenderedMessage | Error): void {
    const running = this.#running;
    if (!running || running.message.id !== id) return;
    this.#running = undefined;
    clearTimeout(running.timer);
    if (outcome instanceof Error) running.reject(outcome);
    else running.resolve(outcome);
    this.#next();
  }

  #replaceWorker(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./render-worker-entry.mjs', import.meta.url));
    worker.unref(); // an idle render worker never keeps the process alive
    worker.on('message', (reply: RenderReply) => {
      if ('started' in reply) this.emit('started', reply.id);
      else this.#finish(reply.id, reply.ok ? reply.message : new SwitchboardError(reply.error.code, reply.error.message, reply.error.details));
    });
    const lost = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      if (this.#running) this.#finish(this.#running.message.id, error);
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(new Error('the render worker stopped')));
    this.#worker = worker;
    return worker;
  }
}

let shared: RenderPool | undefined;

/** The process's render pool for previews (its worker starts at the first preview). */
export function sharedRenderPool(): RenderPool {
  shared ??= new RenderPool();
  return shared;
}
