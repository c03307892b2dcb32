/**
 * Plain page data for the emulator page's tests: one workspace with a deploy announcement in Block
 * Kit (header, fields, buttons, context) and a thread with replies, an edited message, an
 * ephemeral message, an attachment, and one message that tries to inject markup.
 */
import type { PageMessage, PageWorkspace } from '../../emulator/page/page-source.ts';

const T0 = 1767261600; // 2026-01-01 10:00 UTC
export const ts = (minutes: number, seq = 0) => `${T0 + minutes * 60}.${String(seq).padStart(6, '0')}`;

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

export function message(fields: Partial<PageMessage> & { ts: string; text: string }): PageMessage {
  return { author: 'Switchboard', isBot: true, edited: false, replies: [], ...fields };
}

/** The deploy announcement; `ids` names the mentioned user and channel. */
export function deployBlocks(ids: { alice: string; deployments: string }): unknown[] {
  return [
    { type: 'header', text: plain('Deploy finished :rocket:') },
    { type: 'section', text: mrkdwn('*api* `v2.14.0` is live in *production*. <https://deploys.example.test/812|View deploy #812>') },
    {
      type: 'section',
      fields: [mrkdwn('*Service*\napi'), mrkdwn('*Environment*\nproduction'), mrkdwn('*Version*\nv2.14.0'), mrkdwn('*Duration*\n4m 12s')],
    },
    {
      type: 'actions',
      block_id: 'deploy-812',
      elements: [
        { type: 'button', action_id: 'approve', text: plain('Approve'), style: 'primary', value: '812' },
        { type: 'button', action_id: 'rollback', text: plain('Roll back'), style: 'danger', value: '812' },
        { type: 'button', action_id: 'logs', text: plain('View logs'), url: 'https://deploys.example.test/812/logs' },
        { type: 'static_select', action_id: 'notify', placeholder: plain('Notify a team'), options: [{ text: plain('Platform'), value: 'platform' }] },
      ],
    },
    { type: 'context', elements: [mrkdwn(`:zap: Triggered by <@${ids.alice}> from <#${ids.deployments}> · <!here>`)] },
  ];
}

/** An incident attachment with a red bar and two short fields. */
export const incidentAttachment = {
  color: 'danger',
  title: 'Incident #42 opened',
  text: 'Checkout is degraded. _Paging on-call._',
  fields: [
    { title: 'Severity', value: 'SEV-2', short: true },
    { title: 'Owner', value: 'payments', short: true },
  ],
};

export const ALERT_TEXT = ':rotating_light: *Error rate above 2%* on `checkout`\n> p95 latency 1.8s\n> 5xx: 2.4%';
export const HOSTILE_TEXT = 'Hello <script>window.injected = true</script><img src=x onerror="window.injected=true"> &lt;b&gt;not bold&lt;/b&gt;';

export function demoWorkspaces(): PageWorkspace[] {
  return [
    {
      teamId: 'T0ACME',
      name: 'Acme Corp',
      domain: 'acme',
      users: [{ id: 'U0ALICE', name: 'alice' }, { id: 'U0BOB', name: 'bob' }],
      channels: [
        { id: 'C0GENERAL', name: 'general', isPrivate: false, isArchived: false, isIm: false, messages: [message({ ts: ts(0), author: 'alice', isBot: false, text: 'Good morning :wave:' })] },
        {
          id: 'C0DEPLOY',
          name: 'deployments',
          isPrivate: false,
          isArchived: false,
          isIm: false,
          messages: [
            message({
              ts: ts(1),
              text: 'Deploy finished: api v2.14.0 in production',
              blocks: deployBlocks({ alice: 'U0ALICE', deployments: 'C0DEPLOY' }),
              replies: [
                message({ ts: ts(2), author: 'alice', isBot: false, text: 'Smoke tests pass :white_check_mark:' }),
                message({ ts: ts(3), text: ':white_check_mark: Approved by *<@U0ALICE>*', edited: true }),
                message({ ts: ts(4), author: 'bob', isBot: false, text: 'Shipping the changelog :tada:', broadcast: true }),
              ],
            }),
            message({
              ts: ts(5),
              text: ALERT_TEXT,
              edited: true,
            }),
            message({
              ts: ts(6),
              text: 'Only you can see this: your deploy token expires in 3 days.',
              ephemeralFor: 'U0ALICE',
            }),
            message({
              ts: ts(7),
              text: '',
              attachments: [incidentAttachment],
            }),
            message({ ts: ts(8), author: 'mallory', isBot: false, text: HOSTILE_TEXT }),
          ],
        },
        { id: 'G0INCIDENT', name: 'incidents', isPrivate: true, isArchived: false, isIm: false, messages: [] },
        { id: 'C0OLD', name: 'old-alerts', isPrivate: false, isArchived: true, isIm: false, messages: [] },
        { id: 'D0ALICE', name: 'alice', isPrivate: true, isArchived: false, isIm: true, messages: [] },
      ],
    },
  ];
}
