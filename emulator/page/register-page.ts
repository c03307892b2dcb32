/**
 * The emulator's web page routes: `GET /` renders workspaces, channels and messages as Slack would
 * show them (channel chosen with `?team=T…&channel=C…`), and `GET /_page/events` streams a
 * Server-Sent Event each time the emulator's state changes, so the open page refreshes itself.
 */
import type { Hono } from 'hono';
import type { PageSource } from './page-source.ts';
import { PAGE_EVENTS_PATH, renderPage } from './render-page.ts';

export interface PageOptions {
  /** How often an idle event stream sends a comment line so proxies keep it open. */
  heartbeatMs?: number;
}

const encoder = new TextEncoder();

/** A text/event-stream that says "change" after each change the source reports. */
function changeStream(source: PageSource, signal: AbortSignal, heartbeatMs: number): ReadableStream<Uint8Array> {
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let sequence = 0;
      let closed = false;
      const send = (chunk: string) => {
        if (!closed) controller.enqueue(encoder.encode(chunk));
      };
      // retry: how long the browser waits before reconnecting after the emulator restarts.
      send('retry: 2000\nevent: ready\ndata: 0\n\n');
      const unsubscribe = source.subscribe(() => send(`event: change\nid: ${++sequence}\ndata: ${sequence}\n\n`));
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), heartbeatMs);
      heartbeat.unref?.();
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
      };
      signal.addEventListener('abort', () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      });
    },
    cancel() {
      stop();
    },
  });
}

// Hono<any, any, any>: the page mounts on whatever app the emulator builds, whatever its bindings.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function registerPage(app: Hono<any, any, any>, source: PageSource, options: PageOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 25_000;

  app.get('/', (c) => {
    const page = renderPage(source.workspaces(), { team: c.req.query('team'), channel: c.req.query('channel') });
    c.header('Cache-Control', 'no-store');
    return c.html(page.html, page.status);
  });

  app.get(PAGE_EVENTS_PATH, (c) => {
    return new Response(changeStream(source, c.req.raw.signal, heartbeatMs), {
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
    });
  });
}
