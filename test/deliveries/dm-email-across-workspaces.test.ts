/**
 * DM destinations addressed by email, in two projects connected to two workspaces that each have
 * a person with the same email: each project's test messages and deliveries reach its own
 * workspace's person, whichever asks first. The email → user id lookups are remembered per
 * workspace for an hour, and an id Slack no longer knows (the person left, the email moved to
 * someone else) is looked up again once before the destination is called broken.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { WebApiTransport } from '../../src/slack/web-api-transport.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { startEmulator, type StartedEmulator } from '../helpers/emulator.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { EVENT_TYPE, projectWithEventType, sendNumbered, type Project } from './delivery-fixtures.ts';

const EMAIL = 'alice@example.com';
const SECOND_TEAM = 'T0SECOND';

/** A second workspace with its own alice (same email), the default app installed in it. */
async function secondWorkspace(slack: StartedEmulator): Promise<{ team: string; botToken: string; aliceId: string }> {
  const ws = await slack.control.createWorkspace({ team_id: SECOND_TEAM, name: 'Second', users: [{ name: 'alice2', email: EMAIL }] });
  const installed = await slack.control.install(ws.team_id, { app_id: slack.defaultWorkspace.appId });
  return { team: ws.team_id, botToken: installed.bot_token, aliceId: ws.users.find((u) => u.email === EMAIL)!.id };
}

/** The person a DM channel is with, as the emulator knows it. */
function dmUser(slack: StartedEmulator, team: string, channel: string): string | undefined {
  return slack.state.workspace(team)?.channels.get(channel)?.imUserId;
}

describe.each(databaseKinds)('DM destinations by email across workspaces on %s', (kind) => {
  let slack: StartedEmulator;
  let gw: TestGateway;
  let second: Awaited<ReturnType<typeof secondWorkspace>>;

  beforeEach(async () => {
    slack = await startEmulator({ rateLimits: { enabled: false } });
    second = await secondWorkspace(slack);
    gw = await createTestGateway(kind, { slackApiUrl: slack.apiUrl }, { delivery: {} });
  });
  afterEach(async () => {
    await gw?.close();
    await slack?.close();
  });

  async function dmProject(name: string, botToken: string): Promise<{ project: Project; destination: string }> {
    const project = await projectWithEventType(gw, name);
    const connection = await gw.call('POST', '/v1/connections', { key: project.key, body: { bot_token: botToken } });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    const created = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'alice', kind: 'dm', connection_id: connection.body.id, user_email: EMAIL, subscriptions: [EVENT_TYPE] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { project, destination: created.body.id };
  }

  for (const order of [['first', 'second'], ['second', 'first']] as const) {
    it(`each project reaches its own workspace's person (${order.join(' workspace, then ')})`, async () => {
      const sides = {
        first: { team: slack.defaultWorkspace.teamId, aliceId: slack.defaultWorkspace.users.alice, ...(await dmProject('first', slack.defaultWorkspace.botToken)) },
        second: { team: second.team, aliceId: second.aliceId, ...(await dmProject('second', second.botToken)) },
      };
      expect(sides.first.aliceId).not.toBe(sides.second.aliceId);

      for (const side of order.map((o) => sides[o])) {
        const test = await gw.call('POST', `/v1/destinations/${side.destination}/test`, { key: side.project.key });
        expect(test.body, JSON.stringify(test.body)).toMatchObject({ ok: true, outcome: 'sent', destination_status: 'active' });
        expect(dmUser(slack, side.team, test.body.slack.channel)).toBe(side.aliceId);
      }
      for (const side of order.map((o) => sides[o])) {
        const [delivery] = (await sendNumbered(gw, side.project, 1, 1)).get(side.destination)!;
        const sent = await vi.waitFor(async () => {
          const res = await gw.call('GET', `/v1/deliveries/${delivery}`, { key: side.project.key });
          expect(res.body.status, JSON.stringify(res.body)).not.toMatch(/^(pending|sending)$/);
          return res.body;
        }, { timeout: 10_000, interval: 20 });
        expect(sent, JSON.stringify(sent)).toMatchObject({ status: 'sent' });
        expect(dmUser(slack, side.team, sent.slack_channel)).toBe(side.aliceId);
        // Nothing of the other workspace in this project's audit log.
        const other = side === sides.first ? sides.second : sides.first;
        expect(JSON.stringify(sent)).not.toContain(other.aliceId);
      }
      for (const side of Object.values(sides)) {
        const d = await gw.call('GET', `/v1/destinations/${side.destination}`, { key: side.project.key });
        expect(d.body).toMatchObject({ status: 'active', status_reason: null });
      }
    });
  }
});

describe('the email → user id lookups of the Web API transport', () => {
  let slack: StartedEmulator;
  let clock: ManualClock;
  let transport: WebApiTransport;
  const scopes = ['chat:write', 'users:read.email'];

  beforeAll(async () => {
    slack = await startEmulator({ rateLimits: { enabled: false } });
  });
  afterAll(async () => slack?.close());
  beforeEach(() => {
    clock = new ManualClock();
    transport = new WebApiTransport({ slackApiUrl: slack.apiUrl, timeoutMs: 5_000, clock });
  });

  async function lookups(team: string): Promise<number> {
    return (await slack.control.counters()).by_team[team]?.calls['users.lookupByEmail'] ?? 0;
  }

  async function dm(token: string, email = EMAIL) {
    return transport.send({ kind: 'dm', token, userEmail: email, scopes }, { text: 'hello' });
  }

  it('looks an email up once per workspace, and again after an hour', async () => {
    const team = slack.defaultWorkspace.teamId;
    const token = slack.defaultWorkspace.botToken;
    const before = await lookups(team);
    expect((await dm(token)).outcome.kind).toBe('sent');
    expect((await dm(token)).outcome.kind).toBe('sent');
    expect(await lookups(team)).toBe(before + 1);
    clock.advance(59 * 60_000);
    expect((await dm(token)).outcome.kind).toBe('sent');
    expect(await lookups(team)).toBe(before + 1);
    clock.advance(2 * 60_000);
    expect((await dm(token)).outcome.kind).toBe('sent');
    expect(await lookups(team)).toBe(before + 2);
  });

  it('looks the email up again once when the remembered person is gone, then posts to the new one', async () => {
    const ws = await slack.control.createWorkspace({ team_id: 'T0MOVED', users: [{ name: 'dana', email: 'dana@example.com' }] });
    const { bot_token: token } = await slack.control.install(ws.team_id, { app_id: slack.defaultWorkspace.appId });
    const first = await dm(token, 'dana@example.com');
    expect(first.outcome.kind).toBe('sent');
    const oldId = ws.users.find((u) => u.name === 'dana')!.id;
    expect(first.request.channel).toBe(oldId);

    // Dana left; her email now belongs to someone else.
    const old = slack.state.workspace(ws.team_id)!.users.get(oldId)!;
    old.deleted = true;
    old.email = 'dana.old@example.com';
    const successor = await slack.control.createUser(ws.team_id, { name: 'dana2', email: 'dana@example.com' });

    const before = await lookups(ws.team_id);
    const again = await dm(token, 'dana@example.com');
    expect(again.outcome, JSON.stringify(again)).toMatchObject({ kind: 'sent' });
    expect(again.request.channel).toBe(successor.id);
    expect(await lookups(ws.team_id)).toBe(before + 1);
  });

  it('reports the destination broken when the person looked up afresh cannot be reached, without looking up again', async () => {
    const ws = await slack.control.createWorkspace({ team_id: 'T0LEFT', users: [{ name: 'erin', email: 'erin@example.com' }] });
    const { bot_token: token } = await slack.control.install(ws.team_id, { app_id: slack.defaultWorkspace.appId });
    expect((await dm(token, 'erin@example.com')).outcome.kind).toBe('sent');
    slack.state.workspace(ws.team_id)!.users.get(ws.users.find((u) => u.name === 'erin')!.id)!.deleted = true;
    const before = await lookups(ws.team_id);
    const report = await dm(token, 'erin@example.com');
    expect(report.outcome).toMatchObject({ kind: 'destination_broken', error: 'channel_not_found' });
    expect(await lookups(ws.team_id)).toBe(before + 1);
  });
});
