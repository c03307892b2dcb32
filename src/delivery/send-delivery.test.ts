/**
 * A subject's root that is gone, for the answers the emulator suite (test/delivery/root-gone.test.ts)
 * does not reach: cant_update_message, thread_not_found, and a new root whose post fails.
 */
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/database.ts';
import type { OutgoingMessage, SendOutcome, SendReport, SendTarget, SlackTransport } from '../slack/slack-transport.ts';
import { ROOT_GONE_HINTS } from '../slack/slack-error-hints.ts';
import type { ClaimedDelivery } from './claim-deliveries.ts';
import { sendDelivery } from './send-delivery.ts';

const root = { channel: 'C1', ts: '100.000001' };
const target: SendTarget = { kind: 'channel', token: 'xoxb-test', channel: 'C1', scopes: ['chat:write'] };

/** A database holding one subject root; remembers what was deleted. */
function fakeDb() {
  const deleted: unknown[][] = [];
  const db = {
    async query(sql: string, params: readonly unknown[] = []) {
      if (sql.startsWith('SELECT channel, ts FROM subject_messages')) return { rows: [root], rowCount: 1 };
      if (sql.startsWith('DELETE FROM subject_messages')) deleted.push([...params]);
      return { rows: [], rowCount: 0 };
    },
    async exec() {},
  } as unknown as Queryable;
  return { db, deleted };
}

/** Answers each call with the next outcome; remembers what was sent. */
function fakeTransport(outcomes: SendOutcome[]) {
  const sent: OutgoingMessage[] = [];
  const transport: SlackTransport = {
    async send(_target, message): Promise<SendReport> {
      sent.push(message);
      return { outcome: outcomes.shift()!, request: { text: message.text }, latencyMs: 1 };
    },
  };
  return { transport, sent };
}

function delivery(subjectAction: ClaimedDelivery['subjectAction']): ClaimedDelivery {
  return {
    id: 'dlv_1',
    destinationId: 'dst_1',
    subject: 'approval:deploy-42',
    subjectAction,
    replyBroadcast: false,
    message: { text: 'the event' },
    updateMessage: { text: 'the root, settled' },
    deliverAtMs: null,
    ephemeralUserId: null,
  } as ClaimedDelivery;
}

describe('a root that is gone', () => {
  it('cant_update_message: the new root is posted as the update would have made the old one, and the old one forgotten', async () => {
    const { db, deleted } = fakeDb();
    const { transport, sent } = fakeTransport([{ kind: 'rejected', error: 'cant_update_message' }, { kind: 'sent', channel: 'C1', ts: '200.000001' }]);
    const report = await sendDelivery(db, transport, target, delivery('update_and_thread'));
    expect(sent.map((m) => [m.text, m.update?.ts])).toEqual([
      ['the root, settled', root.ts],
      ['the root, settled', undefined],
    ]);
    expect(report.newRoot).toEqual({ channel: 'C1', ts: '200.000001' });
    expect(report.rootGone).toEqual({ error: 'cant_update_message', hint: ROOT_GONE_HINTS.cant_update_message });
    expect(report.request.root_gone).toMatchObject({ error: 'cant_update_message' });
    expect(deleted).toEqual([['dst_1', 'approval:deploy-42', root.ts]]);
  });

  it('thread_not_found on a reply: the reply is posted as the new root', async () => {
    const { db } = fakeDb();
    const { transport, sent } = fakeTransport([{ kind: 'rejected', error: 'thread_not_found' }, { kind: 'sent', channel: 'C1', ts: '300.000001' }]);
    const report = await sendDelivery(db, transport, target, delivery('thread'));
    expect(sent.map((m) => m.thread_ts)).toEqual([root.ts, undefined]);
    expect(report.rootGone?.error).toBe('thread_not_found');
    expect(report.newRoot?.ts).toBe('300.000001');
  });

  it('a new root whose post fails is retried as any post, and the old root stays recorded until one exists', async () => {
    const { db, deleted } = fakeDb();
    const { transport } = fakeTransport([{ kind: 'rejected', error: 'message_not_found' }, { kind: 'retry', error: 'internal_error' }]);
    const report = await sendDelivery(db, transport, target, delivery('update'));
    expect(report.outcome).toEqual({ kind: 'retry', error: 'internal_error' });
    expect(report.newRoot).toBeUndefined();
    expect(report.rootGone).toBeUndefined();
    expect(deleted).toEqual([]);
  });
});
