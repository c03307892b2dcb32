/**
 * The hint the Test button shows for failures that do not break the destination: each says what
 * to do, and says something different for a webhook and for the Web API where the fix differs.
 */
import { describe, expect, it } from 'vitest';
import { failureHint, testMessage } from '../../src/destinations/send-test-message.ts';

describe('test message hints', () => {
  const retry = (error: string, unknown = false) => ({ kind: 'retry' as const, error, unknown });

  it('tells a timeout from a connection that could not be made, per kind of destination', () => {
    expect(failureHint(retry('timeout after 10000 ms'), 'webhook')).toContain('did not answer in time');
    expect(failureHint(retry('request_error: timeout of 10000ms exceeded'), 'channel')).toContain('did not answer in time');
    expect(failureHint(retry('network error: fetch failed'), 'webhook')).toContain('Could not connect to the webhook URL');
    expect(failureHint(retry('request_error: connect ECONNREFUSED 127.0.0.1:9'), 'dm')).toContain('SWITCHBOARD_SLACK_API_URL');
  });

  it('calls Slack’s server errors temporary, and a 408 a timeout', () => {
    expect(failureHint(retry('http_502'), 'channel')).toContain('temporary problem');
    expect(failureHint(retry('internal_error'), 'channel')).toContain('temporary problem');
    expect(failureHint(retry('http_408'), 'webhook')).toContain('did not answer in time');
  });

  it('names an error it does not know rather than guessing', () => {
    expect(failureHint(retry('brand_new_error', true), 'channel')).toContain('"brand_new_error", which Switchboard does not recognise');
  });

  it('says how long to wait after a 429, and passes a broken destination’s hint through', () => {
    expect(failureHint({ kind: 'rate_limited', error: 'ratelimited', retryAfterSeconds: 30 }, 'channel')).toContain('wait 30 s');
    expect(failureHint({ kind: 'destination_broken', error: 'no_service', hint: 'Make a new one.', scope: 'destination' }, 'webhook')).toBe('Make a new one.');
    expect(failureHint({ kind: 'rejected', error: 'invalid_blocks' }, 'channel')).toContain('invalid_blocks');
  });

  it('labels the message as a test, names the destination safely and says when it was sent', () => {
    const m = testMessage('<!channel> & co', new Date('2026-11-25T10:11:12.345Z'));
    expect(m.text).toBe('Switchboard test message for &lt;!channel&gt; &amp; co (sent 2026-11-25 10:11:12 UTC). If you can read this, messages to this destination arrive.');
    expect(JSON.stringify(m.blocks)).not.toContain('<!channel>');
  });
});
