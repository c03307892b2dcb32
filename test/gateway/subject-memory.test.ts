/**
 * A subject remembers: a later event about a subject renders with the subject's accumulated data
 * and its first event (`root`), so every built-in flow with minimal follow-up data gives a complete
 * root update and a one-line thread reply, with no markup left over from missing data.
 */
import { expectNoMarkupResidue, readableTexts as texts, type ReadableMessage as Message } from '../helpers/markup-residue.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { createTestGateway, type TestGateway } from '../helpers/gateway.ts';

const ORIGIN = 'http://127.0.0.1:3999';


/** A one-line reply: one section of one line, no card. */
function expectOneLine(message: Message, contains: string): void {
  expectNoMarkupResidue(message);
  expect(message.blocks).toHaveLength(1);
  const [block] = message.blocks as { type: string; text: { text: string }; fields?: unknown }[];
  expect(block.type).toBe('section');
  expect(block.fields).toBeUndefined();
  expect(block.text.text).not.toContain('\n');
  expect(block.text.text).toContain(contains);
  expect(message.text).not.toContain('\n');
}

const approval = {
  key: 'APR-7',
  action: 'Wire transfer of $12,500 to Acme Supplies Ltd',
  info: 'Quarterly invoice INV-88213',
  requester: 'Alice Admin',
  requester_id: 'U00000001',
  url: 'https://approvals.example.com/requests/APR-7',
};
const alert = { alert_id: 'ALR-8', title: 'Error rate above 5%', service: 'checkout-api', environment: 'production', description: 'HTTP 5xx at 7%' };
const deploy = { service: 'checkout-api', environment: 'production', version: 'v2.14.0', who: 'Carol Oncall' };

/** first event, follow-up with minimal data, what the root update must still show, what the reply says. */
const flows: { name: string; first: [string, Record<string, unknown>]; then: [string, Record<string, unknown>]; root: string[]; reply: string }[] = [
  { name: 'approval executed', first: ['approval.created', approval], then: ['approval.executed', { key: 'APR-7', approver: 'Bob Builder' }], root: ['Approved by Bob Builder', approval.action, '<@U00000001>', 'INV-88213', 'APR-7'], reply: 'Approved by Bob Builder' },
  { name: 'approval expired', first: ['approval.created', approval], then: ['approval.expired', { key: 'APR-7' }], root: ['Expired', approval.action, '<@U00000001>', 'APR-7'], reply: 'Expired without a decision' },
  { name: 'approval invalidated', first: ['approval.created', approval], then: ['approval.invalidated', { key: 'APR-7' }], root: ['Invalidated', approval.action, '<@U00000001>'], reply: 'Invalidated' },
  { name: 'alert resolved', first: ['alert.triggered', alert], then: ['alert.resolved', { alert_id: 'ALR-8', resolved_by: 'Carol Oncall', duration: '42 min' }], root: ['Resolved: Error rate above 5%', 'checkout-api', 'production', 'ALR-8', '42 min'], reply: 'Resolved by Carol Oncall after 42 min' },
  { name: 'deployment succeeded', first: ['deployment.started', deploy], then: ['deployment.succeeded', {}], root: ['Deployed', 'checkout-api', 'v2.14.0', 'production'], reply: 'Live in *production*' },
  { name: 'deployment failed', first: ['deployment.started', deploy], then: ['deployment.failed', { error: 'Health check failed' }], root: ['Failed to deploy', 'checkout-api', 'v2.14.0', 'production'], reply: 'Failed: Health check failed' },
  { name: 'challenge completed', first: ['challenge.live', { challenge: 'Meeting Sprint', goal: 'Book 5 meetings' }], then: ['challenge.completed', { challenge: 'Meeting Sprint', standings: [{ rank: 1, name: 'Bob', score: 7 }] }], root: ['Meeting Sprint is over', 'Book 5 meetings'], reply: 'Final standings' },
];

describe.each(databaseKinds)('a subject remembers on %s', (kind) => {
  let gw: TestGateway;
  let project: { id: string; key: string };
  const send = async (body: Record<string, unknown>) => {
    const res = await gw.call('POST', '/v1/events', { key: project.key, body });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.event.id as string;
  };
  const rendered = async (id: string) => {
    const { rows } = await gw.ctx.db.query<{ message: Message; update_message: Message | null }>('SELECT message, update_message FROM events WHERE id = $1', [id]);
    return rows[0];
  };

  beforeAll(async () => {
    gw = await createTestGateway(kind, { allowedWebhookOrigins: [ORIGIN] });
    project = await gw.createProject('Memory');
    // The subject policies apply to any destination (a webhook names the subject instead of threading).
    const hook = await gw.call('POST', '/v1/destinations', {
      key: project.key,
      body: { name: 'everything', kind: 'webhook', webhook_url: `${ORIGIN}/services/T0MEM/B0MEM/secretpartxyz`, subscriptions: ['*'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  });
  afterAll(async () => gw?.close());

  it.each(flows)('$name: minimal follow-up data gives a complete root update and a one-line reply', async (flow) => {
    const subject = `${flow.name}:${kind}`;
    const first = await rendered(await send({ type: flow.first[0], subject, data: flow.first[1] }));
    expectNoMarkupResidue(first.message);
    const later = await rendered(await send({ type: flow.then[0], subject, data: flow.then[1] }));
    expect(later.update_message).not.toBeNull();
    expectNoMarkupResidue(later.update_message!);
    const rootText = texts(later.update_message!).join('\n');
    for (const part of flow.root) expect(rootText).toContain(part);
    if (flow.then[0] === 'challenge.completed') {
      expectNoMarkupResidue(later.message); // the standings are the reply's news, not a copy of the root
      expect(texts(later.message).join('\n')).toContain(flow.reply);
    } else {
      expectOneLine(later.message, flow.reply);
    }
  });

  it('sees every earlier event of the subject (overlaid in order), in other writes and in the same one', async () => {
    const subject = `approval:APR-9:${kind}`;
    await send({ type: 'approval.created', subject, data: { ...approval, key: 'APR-9' } });
    const res = await gw.call('POST', '/v1/events/batch', {
      key: project.key,
      body: {
        events: [
          { type: 'approval.pin_failed', subject, data: { key: 'APR-9', attempts: 1, approver: 'Bob Builder' } },
          { type: 'approval.executed', subject, data: { key: 'APR-9', approver: 'Bob Builder' } },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.rejected).toBe(0);
    const [pin, executed] = await Promise.all(res.body.results.map((r: { event: { id: string } }) => rendered(r.event.id)));
    expect(texts(pin.message).join('\n')).toContain(approval.action); // the request's action, from the first event
    const rootText = texts(executed.update_message!).join('\n');
    expect(rootText).toContain(approval.action);
    expect(rootText).toContain('Approved by Bob Builder');
    expectOneLine(executed.message, 'Approved by Bob Builder');
    // An event without a subject sees only its own data: the card, not a reply.
    const alone = await rendered(await send({ type: 'approval.executed', data: { key: 'APR-10', approver: 'Bob Builder' } }));
    expectNoMarkupResidue(alone.message);
    expect(texts(alone.message).join('\n')).toContain('Approval executed');
  });
});
