/**
 * The emulator page in a real browser: headless Chromium loads the page served on a random port
 * and checks what a person sees — the Block Kit message, its buttons, the thread and its replies,
 * "(edited)", the ephemeral label — that hostile text stays text, and that a new message appears
 * without a reload. Saves docs/images/emulator-page.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePageSource, createFakePageSource } from '../../emulator/page/fake-page-source.ts';
import { registerPage } from '../../emulator/page/register-page.ts';
import { demoWorkspaces, message, ts } from './demo-workspaces.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/images/emulator-page.png');

let server: ServerType;
let browser: Browser;
let page: Page;
let source: FakePageSource;
let baseUrl: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The emulator page test drives Chromium at ${CHROMIUM}, which is missing. Install it with: apt-get install -y chromium`);
  }
  source = createFakePageSource(demoWorkspaces());
  const app = new Hono();
  registerPage(app, source);
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.once('listening', () => done()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1120 } });
  await page.goto(`${baseUrl}/?team=T0ACME&channel=C0DEPLOY`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
});

describe('emulator page in a browser', () => {
  it('tells the person this is the local emulator, not Slack', async () => {
    await expect(page.getByRole('note').innerText()).resolves.toContain('Local Slack emulator — this is not Slack');
  });

  it('shows the workspace and its channels in the sidebar', async () => {
    const sidebar = page.locator('#sidebar');
    await expect(sidebar.locator('.workspace-name').innerText()).resolves.toBe('Acme Corp');
    await expect(sidebar.locator('.channel-link').allInnerTexts()).resolves.toEqual(['#\ndeployments', '#\ngeneral', '🔒\nincidents', '#\nold-alerts\narchived', '●\nalice']);
  });

  it('renders the Block Kit message: header, fields and buttons', async () => {
    const first = page.locator('#messages > .message').first();
    await expect(first.locator('.bk-header').innerText()).resolves.toBe('Deploy finished 🚀');
    await expect(first.locator('.bk-field').allInnerTexts()).resolves.toEqual(['Service\napi', 'Environment\nproduction', 'Version\nv2.14.0', 'Duration\n4m 12s']);
    await expect(first.getByRole('button').allInnerTexts()).resolves.toEqual(['Approve', 'Roll back']);
    await expect(first.getByRole('link', { name: 'View logs' }).getAttribute('href')).resolves.toBe('https://deploys.example.test/812/logs');
    // primary is Slack green, danger Slack red
    const background = (name: string) => first.getByRole('button', { name }).evaluate((el) => getComputedStyle(el).backgroundColor);
    await expect(background('Approve')).resolves.toBe('rgb(0, 122, 90)');
    await expect(background('Roll back')).resolves.toBe('rgb(224, 30, 90)');
    await expect(first.locator('.author').first().innerText()).resolves.toBe('Switchboard');
    await expect(first.locator('.badge-app').first().innerText()).resolves.toBe('APP');
  });

  it('shows the thread: "3 replies" and the replies themselves, in order', async () => {
    const first = page.locator('#messages > .message').first();
    await expect(first.locator('.reply-count').innerText()).resolves.toBe('3 replies');
    const replies = first.locator('.thread .message .message-body');
    await expect(replies.allInnerTexts()).resolves.toEqual(['Smoke tests pass ✅', '✅ Approved by @alice (edited)', 'Shipping the changelog 🎉']);
    await expect(replies.nth(1).locator('b').innerText()).resolves.toBe('@alice');
  });

  it('writes (edited) after edited messages and labels the ephemeral one', async () => {
    await expect(page.locator('.edited').count()).resolves.toBe(2);
    const ephemeral = page.locator('.message.ephemeral');
    await expect(ephemeral.locator('.ephemeral-label').innerText()).resolves.toContain('Only visible to you');
    await expect(ephemeral.locator('.message-body').innerText()).resolves.toBe('Only you can see this: your deploy token expires in 3 days.');
  });

  it('shows hostile text as text and runs none of it', async () => {
    const hostile = page.locator('.message', { hasText: 'mallory' }).locator('.message-body');
    await expect(hostile.innerText()).resolves.toBe('Hello <script>window.injected = true</script><img src=x onerror="window.injected=true"> <b>not bold</b>');
    await expect(page.evaluate(() => (window as { injected?: boolean }).injected)).resolves.toBeUndefined();
    await expect(hostile.locator('img, script, b').count()).resolves.toBe(0);
  });

  it('saves a screenshot of the page for the docs', async () => {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('shows a new message without a reload', async () => {
    await page.locator('#live.on').waitFor();
    await page.evaluate(() => {
      (window as { marker?: string }).marker = 'same page';
    });
    source.update((workspaces) => {
      workspaces[0]!.channels[1]!.messages.push(message({ ts: ts(30), text: 'Rollback complete :white_check_mark:' }));
    });
    await page.getByText('Rollback complete ✅').waitFor();
    await expect(page.evaluate(() => (window as { marker?: string }).marker)).resolves.toBe('same page');
    await expect(page.locator('.channel-meta').innerText()).resolves.toBe('Acme Corp · 6 messages');
  });
});
