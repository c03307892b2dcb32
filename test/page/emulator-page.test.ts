/**
 * The emulator page in a real browser, fed through the real emulator: messages are posted with
 * @slack/web-api's WebClient against the emulator's /api/ (as the gateway posts to Slack), then
 * headless Chromium loads the page and checks what a person sees — the Block Kit message and its
 * buttons, the thread and its replies, "(edited)", the ephemeral label — that hostile text stays
 * text, and that a new message appears without a reload. Saves docs/images/emulator-page.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { postMessage } from '../../emulator/state/message-store.ts';
import { MessageSource } from '../../emulator/state/model.ts';
import { type StartedEmulator, startEmulator } from '../helpers/emulator.ts';
import { ALERT_TEXT, HOSTILE_TEXT, deployBlocks, incidentAttachment } from './demo-workspaces.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/images/emulator-page.png');

let slack: StartedEmulator;
let web: WebClient;
let browser: Browser;
let page: Page;
let channel: string;

/**
 * A person typing in Slack. A bot token cannot post as a person, so the test writes the message
 * into the emulator's state the way its control side does.
 */
function postAsPerson(name: string, text: string, threadTs?: string): void {
  const ws = slack.state.workspace(slack.defaultWorkspace.teamId)!;
  const user = slack.state.findUser(ws, name)!;
  const target = slack.state.findChannel(ws, channel)!;
  postMessage(slack.state, target, { userId: user.id }, { text }, { threadTs, source: MessageSource.control });
}

async function postConversation(): Promise<void> {
  const { users, channels } = slack.defaultWorkspace;
  const parent = await web.chat.postMessage({
    channel,
    text: 'Deploy finished: api v2.14.0 in production',
    blocks: deployBlocks({ alice: users.alice!, deployments: channels.deployments! }) as never,
  });
  const threadTs = parent.ts!;
  postAsPerson('alice', 'Smoke tests pass :white_check_mark:', threadTs);
  const approval = await web.chat.postMessage({ channel, thread_ts: threadTs, text: 'Waiting for approval…' });
  await web.chat.update({ channel, ts: approval.ts!, text: `:white_check_mark: Approved by *<@${users.alice}>*` });
  await web.chat.postMessage({ channel, thread_ts: threadTs, reply_broadcast: true, text: 'Shipping the changelog :tada:' });

  const alert = await web.chat.postMessage({ channel, text: ':rotating_light: Error rate rising on `checkout`' });
  await web.chat.update({ channel, ts: alert.ts!, text: ALERT_TEXT });
  await web.chat.postEphemeral({ channel, user: users.alice!, text: 'Only you can see this: your deploy token expires in 3 days.' });
  await web.chat.postMessage({ channel, text: 'Incident #42 opened', attachments: [incidentAttachment] });
  postAsPerson('bob', HOSTILE_TEXT);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The emulator page test drives Chromium at ${CHROMIUM}, which is missing. Install it with: apt-get install -y chromium`);
  }
  // Not a rate-limit test: several posts to one channel in a row are fine here. A fixed clock keeps
  // the times in the screenshot the same from run to run.
  slack = await startEmulator({ rateLimits: { enabled: false }, clock: new ManualClock(Date.UTC(2026, 0, 15, 9, 41)) });
  web = new WebClient(slack.defaultWorkspace.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  channel = slack.defaultWorkspace.channels.deployments!;
  await postConversation();

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  // The page shows times in the reader's zone; fix it so the screenshot is the same everywhere.
  page = await browser.newPage({ viewport: { width: 1280, height: 1120 }, timezoneId: 'America/New_York', locale: 'en-US' });
  await page.goto(`${slack.url}/?team=${slack.defaultWorkspace.teamId}&channel=${channel}`);
});

afterAll(async () => {
  await browser?.close();
  await slack?.close();
});

describe('emulator page in a browser', () => {
  it('tells the person this is the local emulator, not Slack', async () => {
    await expect(page.getByRole('note').innerText()).resolves.toContain('Local Slack emulator — this is not Slack');
  });

  it("shows the workspace and its channels in the sidebar, private ones with a lock", async () => {
    const sidebar = page.locator('#sidebar');
    await expect(sidebar.locator('.workspace-name').innerText()).resolves.toBe('Emulated Workspace');
    const links = await sidebar.locator('.channel-link').allInnerTexts();
    expect(links).toEqual(expect.arrayContaining(['#\ndeployments', '#\ngeneral', '🔒\nleadership']));
    await expect(sidebar.locator('.channel-link.active').innerText()).resolves.toBe('#\ndeployments');
  });

  it('renders the Block Kit message: header, fields and buttons', async () => {
    const first = page.locator('#messages > .message').first();
    await expect(first.locator('.bk-header').innerText()).resolves.toBe('Deploy finished 🚀');
    await expect(first.locator('.bk-field').allInnerTexts()).resolves.toEqual(['Service\napi', 'Environment\nproduction', 'Version\nv2.14.0', 'Duration\n4m 12s']);
    await expect(first.getByRole('button').allInnerTexts()).resolves.toEqual(['Approve', 'Roll back']);
    await expect(first.getByRole('link', { name: 'View logs' }).getAttribute('href')).resolves.toBe('https://deploys.example.test/812/logs');
    await expect(first.locator('.bk-context').innerText()).resolves.toBe('⚡ Triggered by @alice from #deployments · @here');
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
    const replies = first.locator('.thread .message');
    await expect(replies.locator('.author').allInnerTexts()).resolves.toEqual(['alice', 'Switchboard', 'Switchboard']);
    await expect(replies.locator('.message-body').allInnerTexts()).resolves.toEqual([
      'Smoke tests pass ✅',
      '✅ Approved by @alice (edited)',
      'Shipping the changelog 🎉',
    ]);
    // a person has no APP badge
    await expect(replies.first().locator('.badge-app').count()).resolves.toBe(0);
  });

  it('shows the broadcast reply in the channel as well', async () => {
    const broadcast = page.locator('#messages > .message', { hasText: 'replied to a thread' });
    await expect(broadcast.locator('.message-body').innerText()).resolves.toBe('Shipping the changelog 🎉');
  });

  it("shows times in the reader's own time zone", async () => {
    // 09:41 UTC on 15 January is 4:41 AM in New York
    await expect(page.locator('.message-time').first().innerText()).resolves.toBe('4:41 AM');
  });

  it('writes (edited) after edited messages and labels the ephemeral one', async () => {
    await expect(page.locator('.edited').count()).resolves.toBe(2);
    const alert = page.locator('#messages > .message', { hasText: 'Error rate above 2%' });
    await expect(alert.locator('blockquote').innerText()).resolves.toBe('p95 latency 1.8s\n5xx: 2.4% (edited)');
    await expect(alert.locator('.edited').innerText()).resolves.toBe('(edited)');
    const ephemeral = page.locator('.message.ephemeral');
    await expect(ephemeral.locator('.ephemeral-label').innerText()).resolves.toContain('Only visible to you');
    await expect(ephemeral.locator('.message-body').innerText()).resolves.toBe('Only you can see this: your deploy token expires in 3 days.');
  });

  it('draws the attachment behind a red bar', async () => {
    const attachment = page.locator('.attachment', { hasText: 'Incident #42 opened' });
    await expect(attachment.evaluate((el) => getComputedStyle(el).borderLeftColor)).resolves.toBe('rgb(163, 2, 0)');
    await expect(attachment.locator('.att-field').allInnerTexts()).resolves.toEqual(['Severity\nSEV-2', 'Owner\npayments']);
  });

  it('shows hostile text as text and runs none of it', async () => {
    const hostile = page.locator('#messages > .message', { hasText: 'window.injected' }).locator('.message-body');
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
    await web.chat.postMessage({ channel, text: 'Rollback complete :white_check_mark:' });
    await page.getByText('Rollback complete ✅').waitFor();
    await expect(page.evaluate(() => (window as { marker?: string }).marker)).resolves.toBe('same page');
  });
});
