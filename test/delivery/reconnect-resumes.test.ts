/**
 * An uninstalled app's bot token holds every destination of its connection; pasting a working token for the
 * same workspace (POST /v1/connections) resumes them, and the held messages go out in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { eventually, range, startDeliveryStack, type DeliveryStack } from './delivery-stack.ts';

describe.each(databaseKinds)('reconnecting with a pasted token on %s', (kind) => {
  let stack: DeliveryStack;
  beforeAll(async () => {
    stack = await startDeliveryStack(kind);
  });
  afterAll(async () => stack?.close());

  it('resumes the held destinations of the connection', async () => {
    const { channels, appId, teamId } = stack.slack.defaultWorkspace;
    const dst = await stack.channelLine('reconnect', channels.general);
    await stack.slack.control.uninstall(teamId, appId);
    await stack.send('reconnect', 1, 3);
    await eventually(async () => expect((await stack.destination(dst)).status).toBe('needs_attention'));
    expect((await stack.destination(dst)).status_reason).toBe('account_inactive');
    expect(await stack.posted(channels.general, 'reconnect')).toEqual([]);

    const install = await stack.slack.control.install(teamId, { app_id: appId, join_channels: ['general'] });
    const res = await stack.api('POST', '/v1/connections', { bot_token: install.bot_token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toBe(stack.connectionId); // the same workspace: the same connection, new token

    await eventually(async () => expect(await stack.posted(channels.general, 'reconnect')).toEqual(range(1, 3)));
    expect((await stack.destination(dst)).status).toBe('active');
  });
});
