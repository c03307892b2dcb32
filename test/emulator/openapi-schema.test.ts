/**
 * The emulator's answers checked against Slack's own OpenAPI 2.0 spec of the Web API
 * (/work/shared/slack-spec, draft-04 JSON schemas, archived 2021) for every method it has a
 * response schema for: success bodies strictly, error bodies against the method's error schema.
 *
 * Where the spec is older than Slack's current docs, the test says so instead of bending the
 * emulator:
 * - objs_message lacks app_id, metadata and edited, which Slack returns today ([D-POST] examples,
 *   @slack/types); they are added to the message schema here.
 * - objs_conversation and objs_user are written as `items: [...]` on an object, which draft-04
 *   ignores; each conversation / user is therefore also checked against the matching variant
 *   (channel, IM, non-enterprise user) directly.
 * - chat.update's message.blocks is typed as an object although Slack answers an array; the update
 *   is checked with a text-only message.
 * - Error enums predate some errors the docs list now (e.g. restricted_too_many for
 *   chat.scheduleMessage, cant_delete_message is present but invalid_blocks for chat.postMessage
 *   is not; invalid_blocks also carries errors / response_metadata the schema forbids). Such errors
 *   are checked with the enum removed, listed in NOT_IN_SPEC_ENUM below.
 */
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorWebClient, startEmulator, type StartedEmulator } from '../helpers/emulator.ts';

const SPEC_PATH = '/work/shared/slack-spec/slack_web_openapi_v2.json';

type Schema = Record<string, unknown>;

/**
 * Drops what is not schema: examples (which carry `id` strings that draft-04 would read as schema
 * ids) and vendor extensions. A string `id` is never a property definition, so dropping it is safe.
 */
function schemaOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(schemaOnly);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'example' || k === 'examples' || k.startsWith('x-') || (k === 'id' && typeof v === 'string')) continue;
    out[k] = schemaOnly(v);
  }
  return out;
}

const spec = schemaOnly(JSON.parse(readFileSync(SPEC_PATH, 'utf8'))) as {
  paths: Record<string, Record<string, { responses: Record<string, { schema: Schema }> }>>;
  definitions: Record<string, Schema>;
};

// Newer message fields Slack returns (see the header comment).
const messageProps = (spec.definitions.objs_message as { properties: Record<string, unknown> }).properties;
messageProps.app_id = { type: 'string', pattern: '^A[A-Z0-9]+$' };
messageProps.metadata = { type: 'object' };
messageProps.edited = { type: 'object', required: ['user', 'ts'] };

/** Errors Slack's docs name for a method that the archived spec's enum lacks. */
const NOT_IN_SPEC_ENUM: Record<string, string[]> = {
  'chat.scheduleMessage': ['restricted_too_many'],
  'chat.postMessage': ['invalid_blocks'],
  'chat.postEphemeral': ['user_not_found'],
};

// ajv-draft-04 is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvDraft04.default;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\/\/\S+$/i);
ajv.addFormat('email', /^[^@\s]+@[^@\s]+$/);
ajv.addSchema({ ...spec, id: 'slack' } as Schema, 'slack');

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function operation(method: string): { responses: Record<string, { schema: Schema }> } {
  const path = spec.paths[`/${method}`];
  return Object.values(path)[0];
}

function check(ref: string, body: unknown): void {
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  const ok = validate(body);
  expect(ok ? [] : validate.errors, JSON.stringify(body).slice(0, 400)).toEqual([]);
}

function checkSuccess(method: string, body: unknown): void {
  const verb = Object.keys(spec.paths[`/${method}`])[0];
  check(`slack#/${pointer('paths', `/${method}`, verb, 'responses', '200', 'schema')}`, body);
}

function checkError(method: string, body: Record<string, unknown>): void {
  expect(body.ok).toBe(false);
  const schema = structuredClone(operation(method).responses.default.schema) as { properties: Record<string, { enum?: string[] }>; additionalProperties?: boolean };
  if (NOT_IN_SPEC_ENUM[method]?.includes(body.error as string)) {
    delete schema.properties.error?.enum;
    schema.additionalProperties = true;
  }
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, '"slack#/definitions/')));
  expect(validate(body) ? [] : validate.errors, JSON.stringify(body)).toEqual([]);
}

const channelVariant = 'slack#/definitions/objs_conversation/items/0';
const imVariant = 'slack#/definitions/objs_conversation/items/2';
const userVariant = 'slack#/definitions/objs_user/items/0';

let slack: StartedEmulator;
let bot: WebClient;
let ch: Record<string, string>;

/** The raw answer (without the client's response_metadata additions). */
async function call(method: string, args: Record<string, unknown>, token = slack.defaultWorkspace.botToken): Promise<Record<string, unknown>> {
  const res = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(args),
  });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  slack = await startEmulator({ rateLimits: { enabled: false } });
  bot = emulatorWebClient(slack.apiUrl, slack.defaultWorkspace.botToken);
  ch = slack.defaultWorkspace.channels;
});
afterAll(() => slack.close());

describe('the checks themselves', () => {
  it('reject bodies Slack would not send (a malformed ts, an unknown channel field, a missing profile)', async () => {
    const posted = await call('chat.postMessage', { channel: ch.general, text: 'teeth' });
    expect(() => checkSuccess('chat.postMessage', { ...posted, ts: 'yesterday' })).toThrow();
    const info = await call('conversations.info', { channel: ch.general });
    expect(() => check(channelVariant, { ...(info.channel as object), surprise: true })).toThrow();
    const user = (await call('users.info', { user: slack.defaultWorkspace.users.bob })).user as Record<string, unknown>;
    expect(() => check(userVariant, { ...user, profile: undefined })).toThrow();
    expect(() => checkError('auth.test', { ok: false, error: 'made_up_error' })).toThrow();
  });
});

describe('auth.*', () => {
  it('auth.test success and errors', async () => {
    checkSuccess('auth.test', await call('auth.test', {}));
    checkError('auth.test', await call('auth.test', {}, 'xoxb-emulator-unknown'));
  });

  it('auth.revoke success and error', async () => {
    const extra = await slack.control.install(slack.defaultWorkspace.teamId, { name: 'Throwaway', scopes: ['chat:write'] });
    checkSuccess('auth.revoke', await call('auth.revoke', {}, extra.bot_token));
    checkError('auth.revoke', await call('auth.revoke', {}, extra.bot_token));
  });
});

describe('chat.*', () => {
  it('chat.postMessage success (text, blocks, thread reply) and errors', async () => {
    const posted = await call('chat.postMessage', { channel: ch.alerts, text: 'schema check' });
    checkSuccess('chat.postMessage', posted);
    checkSuccess('chat.postMessage', await call('chat.postMessage', { channel: ch.alerts, text: 'b', blocks: [{ type: 'divider' }] }));
    checkSuccess('chat.postMessage', await call('chat.postMessage', { channel: ch.alerts, text: 'r', thread_ts: posted.ts }));
    for (const args of [{ channel: 'C0NOTTHERE', text: 'x' }, { channel: ch.alerts }, { channel: ch.alerts, text: 'x', blocks: [{ type: 'nope' }] }]) {
      checkError('chat.postMessage', await call('chat.postMessage', args));
    }
  });

  it('chat.update success and errors', async () => {
    const posted = await call('chat.postMessage', { channel: ch.alerts, text: 'before' });
    checkSuccess('chat.update', await call('chat.update', { channel: ch.alerts, ts: posted.ts, text: 'after' }));
    checkError('chat.update', await call('chat.update', { channel: ch.alerts, ts: '1700000000.000001', text: 'x' }));
    checkError('chat.update', await call('chat.update', { channel: ch.alerts, ts: posted.ts, text: 'a'.repeat(4_001) }));
  });

  it('chat.delete success and error', async () => {
    const posted = await call('chat.postMessage', { channel: ch.alerts, text: 'to delete' });
    checkSuccess('chat.delete', await call('chat.delete', { channel: ch.alerts, ts: posted.ts }));
    checkError('chat.delete', await call('chat.delete', { channel: ch.alerts, ts: posted.ts }));
  });

  it('chat.postEphemeral success and errors', async () => {
    checkSuccess('chat.postEphemeral', await call('chat.postEphemeral', { channel: ch.alerts, user: slack.defaultWorkspace.users.bob, text: 'psst' }));
    checkError('chat.postEphemeral', await call('chat.postEphemeral', { channel: ch.leadership, user: slack.defaultWorkspace.users.carol, text: 'x' }));
    checkError('chat.postEphemeral', await call('chat.postEphemeral', { channel: ch.alerts, user: 'U0NOBODY00', text: 'x' }));
  });

  it('chat.scheduleMessage success and errors', async () => {
    const now = Math.floor(Date.now() / 1000);
    checkSuccess('chat.scheduleMessage', await call('chat.scheduleMessage', { channel: ch.general, text: 'later', post_at: now + 3_600 }));
    checkError('chat.scheduleMessage', await call('chat.scheduleMessage', { channel: ch.general, text: 'x', post_at: now - 10 }));
    checkError('chat.scheduleMessage', await call('chat.scheduleMessage', { channel: ch.general, text: 'x', post_at: now + 200 * 86_400 }));
    for (let i = 0; i < 30; i++) await call('chat.scheduleMessage', { channel: ch.approvals, text: `m${i}`, post_at: now + 7_200 + i });
    checkError('chat.scheduleMessage', await call('chat.scheduleMessage', { channel: ch.approvals, text: 'x', post_at: now + 7_210 }));
  });

  it('chat.deleteScheduledMessage and chat.scheduledMessages.list success and errors', async () => {
    const now = Math.floor(Date.now() / 1000);
    const scheduled = await call('chat.scheduleMessage', { channel: ch.deployments, text: 'later', post_at: now + 3_600 });
    checkSuccess('chat.scheduledMessages.list', await call('chat.scheduledMessages.list', { channel: ch.deployments }));
    checkError('chat.scheduledMessages.list', await call('chat.scheduledMessages.list', { channel: 'C0NOTTHERE' }));
    checkSuccess('chat.deleteScheduledMessage', await call('chat.deleteScheduledMessage', { channel: ch.deployments, scheduled_message_id: scheduled.scheduled_message_id }));
    checkError('chat.deleteScheduledMessage', await call('chat.deleteScheduledMessage', { channel: ch.deployments, scheduled_message_id: scheduled.scheduled_message_id }));
  });

  it('chat.getPermalink success and error', async () => {
    const posted = await call('chat.postMessage', { channel: ch.alerts, text: 'link' });
    checkSuccess('chat.getPermalink', await call('chat.getPermalink', { channel: ch.alerts, message_ts: posted.ts }));
    checkError('chat.getPermalink', await call('chat.getPermalink', { channel: ch.alerts, message_ts: '1700000000.000001' }));
  });
});

describe('conversations.* and users.*', () => {
  it('conversations.list success (each channel and IM against its variant) and missing_scope', async () => {
    await bot.conversations.open({ users: slack.defaultWorkspace.users.carol });
    const res = await call('conversations.list', { types: 'public_channel,private_channel,im' });
    checkSuccess('conversations.list', res);
    for (const c of res.channels as Array<Record<string, unknown>>) check(c.is_im ? imVariant : channelVariant, c);
    const narrow = await slack.control.createWorkspace({ apps: [{ name: 'Narrow', scopes: ['channels:read'] }] });
    checkError('conversations.list', await call('conversations.list', { types: 'private_channel' }, narrow.bot_token));
  });

  it('conversations.info success and error', async () => {
    const res = await call('conversations.info', { channel: ch.general });
    checkSuccess('conversations.info', res);
    check(channelVariant, res.channel);
    checkError('conversations.info', await call('conversations.info', { channel: 'C0NOTTHERE' }));
  });

  it('conversations.join success (with and without the warning) and error', async () => {
    const joined = await call('conversations.join', { channel: ch.random });
    checkSuccess('conversations.join', joined);
    check(channelVariant, joined.channel);
    checkSuccess('conversations.join', await call('conversations.join', { channel: ch.random }));
    checkError('conversations.join', await call('conversations.join', { channel: ch.leadership }));
  });

  it('conversations.open success (plain and return_im) and error', async () => {
    checkSuccess('conversations.open', await call('conversations.open', { users: slack.defaultWorkspace.users.alice }));
    const full = await call('conversations.open', { users: slack.defaultWorkspace.users.alice, return_im: true });
    checkSuccess('conversations.open', full);
    check(imVariant, full.channel);
    checkError('conversations.open', await call('conversations.open', { users: 'U0NOBODY00' }));
  });

  it('users.info and users.lookupByEmail success and errors', async () => {
    const info = await call('users.info', { user: slack.defaultWorkspace.users.alice });
    checkSuccess('users.info', info);
    check(userVariant, info.user);
    check(userVariant, (await call('users.info', { user: slack.defaultWorkspace.botUserId })).user);
    checkError('users.info', await call('users.info', { user: 'U0NOBODY00' }));
    const found = await call('users.lookupByEmail', { email: 'bob@example.com' });
    checkSuccess('users.lookupByEmail', found);
    check(userVariant, found.user);
    checkError('users.lookupByEmail', await call('users.lookupByEmail', { email: 'nobody@example.com' }));
  });
});

describe('oauth.v2.access and views.* (the spec only has the generic ok / not-ok templates)', () => {
  it('oauth.v2.access error and views.open success and error', async () => {
    checkError('oauth.v2.access', await call('oauth.v2.access', { client_id: 'nope', client_secret: 'x', code: 'y' }));
    const trigger = await slack.control.issueTriggerId(slack.defaultWorkspace.teamId, 'alice');
    const view = { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] };
    checkSuccess('views.open', await call('views.open', { trigger_id: trigger.trigger_id, view }));
    checkError('views.open', await call('views.open', { trigger_id: trigger.trigger_id, view }));
  });
});
