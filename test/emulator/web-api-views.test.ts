/**
 * views.open / views.push / views.update through the official WebClient. Trigger ids come from the
 * control API (the interactivity flow will hand them out later); they are single-use and expire
 * after three seconds of the injected clock.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { emulatorWebClient, startEmulator, type StartedEmulator, slackPlatformError } from '../helpers/emulator.ts';

const clock = new ManualClock();
let slack: StartedEmulator;
let web: WebClient;
let team: string;

beforeAll(async () => {
  slack = await startEmulator({ clock });
  team = slack.defaultWorkspace.teamId;
});
afterAll(() => slack.close());
beforeEach(async () => {
  await slack.control.reset();
  web = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken);
});

const slackError = slackPlatformError;

const trigger = async (user = 'alice') => (await slack.control.issueTriggerId(team, user)).trigger_id;

const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  close: { type: 'plain_text' as const, text: 'Cancel' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } }],
  ...extra,
});

describe('views.open', () => {
  it('opens a modal for the person behind the trigger and answers the view', async () => {
    const res = await web.views.open({ trigger_id: await trigger('bob'), view: modal('Deploy', { callback_id: 'deploy', private_metadata: 'svc=api' }) });
    expect(res.view).toMatchObject({ type: 'modal', team_id: team, callback_id: 'deploy', private_metadata: 'svc=api', title: { text: 'Deploy' }, app_id: slack.defaultWorkspace.appId });
    expect(res.view?.id).toMatch(/^V/);
    expect(res.view?.root_view_id).toBe(res.view?.id);
    expect(await slack.control.views(team)).toEqual([expect.objectContaining({ id: res.view?.id, user: slack.defaultWorkspace.users.bob })]);
  });

  it('answers exchanged_trigger_id on a second use, expired_trigger_id after 3 s, invalid_trigger_id for a made-up one', async () => {
    const used = await trigger();
    await web.views.open({ trigger_id: used, view: modal('One') });
    expect((await slackError(web.views.open({ trigger_id: used, view: modal('Two') }))).error).toBe('exchanged_trigger_id');
    const old = await trigger();
    clock.advance(3_001);
    expect((await slackError(web.views.open({ trigger_id: old, view: modal('Late') }))).error).toBe('expired_trigger_id');
    expect((await slackError(web.views.open({ trigger_id: '12345.98765.abcd2358fdea', view: modal('Fake') }))).error).toBe('invalid_trigger_id');
  });

  it('answers invalid_arguments naming the problem for a view without a title or with input but no submit', async () => {
    const noTitle = await slackError(web.views.open({ trigger_id: await trigger(), view: { type: 'modal', blocks: [] } as never }));
    expect(noTitle.error).toBe('invalid_arguments');
    expect(noTitle.response_metadata?.messages?.join(' ')).toMatch(/title.*\[json-pointer:\/view/);
    const input = { type: 'input', label: { type: 'plain_text', text: 'Reason' }, element: { type: 'plain_text_input', action_id: 'reason' } };
    const noSubmit = await slackError(web.views.open({ trigger_id: await trigger(), view: { ...modal('Reject'), blocks: [input] } as never }));
    expect(noSubmit.error).toBe('invalid_arguments');
    expect(noSubmit.response_metadata?.messages?.join(' ')).toMatch(/submit/);
  });
});

describe('views.push', () => {
  it('pushes onto an open modal, up to 3 views (push_limit_reached)', async () => {
    const root = await web.views.open({ trigger_id: await trigger(), view: modal('Step 1') });
    const second = await web.views.push({ trigger_id: await trigger(), view: modal('Step 2') });
    expect(second.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });
    await web.views.push({ trigger_id: await trigger(), view: modal('Step 3') });
    expect((await slackError(web.views.push({ trigger_id: await trigger(), view: modal('Step 4') }))).error).toBe('push_limit_reached');
  });

  it('answers not_found when the person has no modal open', async () => {
    expect((await slackError(web.views.push({ trigger_id: await trigger('carol'), view: modal('Lonely') }))).error).toBe('not_found');
  });
});

describe('views.update', () => {
  it('updates by view_id or external_id, and rejects a stale hash', async () => {
    const opened = await web.views.open({ trigger_id: await trigger(), view: modal('Loading', { external_id: 'approval-42' }) });
    const byId = await web.views.update({ view_id: opened.view?.id as string, view: modal('Loaded', { external_id: 'approval-42' }), hash: opened.view?.hash });
    expect(byId.view).toMatchObject({ id: opened.view?.id, title: { text: 'Loaded' } });
    expect(byId.view?.hash).not.toBe(opened.view?.hash);
    const byExternal = await web.views.update({ external_id: 'approval-42', view: modal('Done', { external_id: 'approval-42' }) });
    expect(byExternal.view?.title?.text).toBe('Done');
    expect((await slackError(web.views.update({ view_id: opened.view?.id as string, view: modal('Stale'), hash: opened.view?.hash }))).error).toBe('hash_conflict');
  });

  it('answers not_found for an unknown view', async () => {
    expect((await slackError(web.views.update({ view_id: 'V0NOTTHERE', view: modal('Nope') }))).error).toBe('not_found');
  });
});
