import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it, vi } from 'vitest';
import { demoWorkspaces, message, ts } from '../../test/page/demo-workspaces.ts';
import { createFakePageSource } from './fake-page-source.ts';
import { registerPage } from './register-page.ts';

function setup() {
  const source = createFakePageSource(demoWorkspaces());
  const app = new Hono();
  registerPage(app, source);
  return { app, source };
}

async function page(app: Hono, query = ''): Promise<{ status: number; html: string }> {
  const res = await app.request(`/${query}`);
  return { status: res.status, html: await res.text() };
}

/** The markup from `start` up to (not including) the next `end`; '' when `start` is absent. */
function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  if (from === -1) return '';
  const to = html.indexOf(end, from + start.length);
  return html.slice(from, to === -1 ? undefined : to);
}

describe('GET /', () => {
  it('says plainly that this is the local emulator, not Slack', async () => {
    const { app } = setup();
    const { status, html } = await page(app);
    expect(status).toBe(200);
    expect(html).toContain('Local Slack emulator — this is not Slack');
    expect(html).not.toMatch(/<link|<script src|https?:\/\/cdn/i);
  });

  it('lists workspaces and channels with # and 🔒 icons, archived channels marked, DMs apart', async () => {
    const { app } = setup();
    const { html } = await page(app);
    const sidebar = between(html, '<nav class="sidebar"', '</nav>');
    expect(sidebar).toContain('<div class="workspace-name">Acme Corp</div>');
    expect(sidebar).toContain('<span class="channel-icon">#</span><span class="channel-name">general</span>');
    expect(sidebar).toContain('<span class="channel-icon">🔒</span><span class="channel-name">incidents</span>');
    expect(sidebar).toMatch(/class="channel-link archived"[^>]*>.*old-alerts<\/span><span class="tag">archived<\/span>/);
    expect(sidebar.indexOf('Direct messages')).toBeLessThan(sidebar.indexOf('<span class="channel-name">alice</span>'));
  });

  it('opens the first unarchived channel by name when none is chosen', async () => {
    const { app } = setup();
    const { html } = await page(app);
    expect(html).toContain('data-channel="C0DEPLOY">');
    expect(html).toMatch(/<span class="channel-title"># deployments<\/span>/);
  });

  it('selects a channel from the query string', async () => {
    const { app } = setup();
    const { html } = await page(app, '?team=T0ACME&channel=C0GENERAL');
    expect(html).toMatch(/<span class="channel-title"># general<\/span>/);
    expect(html).toContain('Good morning 👋');
    expect(html).toMatch(/class="channel-link active" href="\?team=T0ACME&amp;channel=C0GENERAL"/);
  });

  it('answers 404 with a readable notice for an unknown channel', async () => {
    const { app } = setup();
    const { status, html } = await page(app, '?team=T0ACME&channel=C0NOPE');
    expect(status).toBe(404);
    expect(html).toContain('No channel C0NOPE in workspace T0ACME.');
  });

  it('shows an empty state before any workspace exists', async () => {
    const app = new Hono();
    registerPage(app, createFakePageSource([]));
    const { status, html } = await page(app);
    expect(status).toBe(200);
    expect(html).toContain('No channels yet.');
  });

  it('marks an archived channel in its pane', async () => {
    const { app } = setup();
    const { html } = await page(app, '?team=T0ACME&channel=C0OLD');
    expect(html).toContain('You are viewing <b># old-alerts</b>, an archived channel.');
  });
});

describe('GET / messages', () => {
  it('shows bots with an APP badge and people without', async () => {
    const { app } = setup();
    const { html } = await page(app, '?channel=C0DEPLOY');
    expect(html).toMatch(/<span class="author">Switchboard<\/span><span class="badge-app">APP<\/span>/);
    expect(html).toMatch(/<span class="author">alice<\/span><time/);
  });

  it('summarises a thread ("3 replies") and shows its replies in order under the parent', async () => {
    const { app } = setup();
    const { html } = await page(app, '?channel=C0DEPLOY');
    expect(html).toContain('<span class="reply-count">3 replies</span>');
    const thread = between(html, '<div class="thread"', 'replied to a thread');
    expect(thread).toContain('<div class="message reply" id="reply-1767261720-000000"');
    expect(thread.indexOf('Smoke tests pass')).toBeLessThan(thread.indexOf('Approved by'));
    expect(thread.indexOf('Approved by')).toBeLessThan(thread.indexOf('Shipping the changelog'));
  });

  it('says "1 reply" for one', async () => {
    const { app, source } = setup();
    source.update((ws) => {
      ws[0]!.channels[0]!.messages[0]!.replies.push(message({ ts: ts(9), text: 'only one' }));
    });
    const { html } = await page(app, '?channel=C0GENERAL');
    expect(html).toContain('<span class="reply-count">1 reply</span>');
  });

  it('shows a broadcast reply in the channel too, as "replied to a thread"', async () => {
    const { app } = setup();
    const { html } = await page(app, '?channel=C0DEPLOY');
    expect(html.match(/Shipping the changelog/g)).toHaveLength(2);
    expect(html).toContain('replied to a thread: Deploy finished: api v2.14.0 in production');
  });

  it('shows a broadcast reply once in the channel when the source lists it at top level too', async () => {
    const { app, source } = setup();
    source.update((ws) => {
      const channel = ws[0]!.channels[1]!;
      const reply = channel.messages[0]!.replies[2]!;
      channel.messages.push({ ...reply, replies: [] });
    });
    const { html } = await page(app, '?channel=C0DEPLOY');
    expect(html.match(/Shipping the changelog/g)).toHaveLength(2);
    expect(html.match(/replied to a thread/g)).toHaveLength(1);
  });

  it('keeps a deleted parent as a tombstone with its thread', async () => {
    const { app, source } = setup();
    source.update((ws) => {
      const parent = ws[0]!.channels[1]!.messages[0]!;
      Object.assign(parent, { author: '', isBot: false, text: 'This message was deleted.', blocks: undefined });
    });
    const { html } = await page(app, '?channel=C0DEPLOY');
    expect(html).toContain('<div class="message-body tombstone-text">This message was deleted.</div>');
    expect(html).toContain('<span class="reply-count">3 replies</span>');
  });

  it('writes (edited) after an edited message and labels ephemeral ones', async () => {
    const { app } = setup();
    const { html } = await page(app, '?channel=C0DEPLOY');
    expect(html).toContain('Approved by <b><span class="mention mention-user">@alice</span></b> <span class="edited">(edited)</span>');
    expect(html).toContain('Only visible to you <span class="to">(alice)</span>');
    expect(html.match(/\(edited\)/g)).toHaveLength(2);
  });

  it("shows mentions by the workspace's user and channel names", async () => {
    const { app } = setup();
    const { html } = await page(app, '?channel=C0DEPLOY');
    expect(html).toContain('Triggered by <span class="mention mention-user">@alice</span> from <span class="mention mention-channel">#deployments</span>');
  });

  it('never lets message text become markup', async () => {
    const { app } = setup();
    const { html } = await page(app, '?channel=C0DEPLOY');
    const messages = between(html, '<div class="messages"', '</main>');
    expect(messages).not.toMatch(/<script|<img src=x/i);
    expect(messages).toContain('&lt;script&gt;window.injected = true&lt;/script&gt;');
  });
});

describe('GET /_page/events', () => {
  it('streams a change event after each change, and lets go of the source when the page closes', async () => {
    const { app, source } = setup();
    const res = await app.request('/_page/events');
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const read = async () => decoder.decode((await reader.read()).value);

    expect(await read()).toContain('event: ready');
    expect(source.listenerCount()).toBe(1);
    source.update((ws) => {
      ws[0]!.channels[0]!.messages.push(message({ ts: ts(20), text: 'new' }));
    });
    expect(await read()).toBe('event: change\nid: 1\ndata: 1\n\n');

    await reader.cancel();
    expect(source.listenerCount()).toBe(0);
  });

  it('unsubscribes when a browser over real HTTP goes away', async () => {
    const { app, source } = setup();
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((done) => server.once('listening', () => done()));
    try {
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/_page/events`, { signal: abort.signal });
      const reader = res.body!.getReader();
      await reader.read();
      expect(source.listenerCount()).toBe(1);
      abort.abort();
      await vi.waitFor(() => expect(source.listenerCount()).toBe(0));
    } finally {
      server.close();
    }
  });
});
