import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

/** A destination that keeps every line written to it, parsed. */
function capture() {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    text: () => raw.join(''),
    lines: () => raw.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const botToken = 'xoxb-emulator-T0001-0123456789abcdefa1b2';
const rotating = 'xoxe.xoxb-emulator-T0001-0123456789abc3c4d';
const refreshToken = 'xoxe-1-emulator-0123456789abcdefghij9z8y';
const webhookUrl = 'https://hooks.slack.com/services/T00000000/B00000000/fake-not-secret-w1x2';
const emulatorUrl = 'http://127.0.0.1:4010/services/TEMU00001/BEMU00001/emulatorsecret0000e5f6';
const apiKey = 'sb_live_0123456789abcdefghjkmnpqk7k8';
const clientSecret = 'plain-client-secret-without-any-shape-q9q0';

describe('createLogger', () => {
  it('writes JSON lines with a level label, time and name', () => {
    const out = capture();
    createLogger({ destination: out.stream, name: 'switchboard' }).info({ destinationId: 'dst_1' }, 'delivered');
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', name: 'switchboard', destinationId: 'dst_1', msg: 'delivered' });
    expect(typeof line.time).toBe('string');
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines().map((line) => line.msg)).toEqual(['shown']);
    expect(() => createLogger({ level: 'loud' })).toThrow(/log level must be one of/);
  });

  it('masks secrets under secret-bearing keys, whatever their shape and however deep', () => {
    const out = capture();
    createLogger({ destination: out.stream }).info(
      {
        token: botToken,
        connection: { bot_token: rotating, oauth: { refresh_token: refreshToken, client_secret: clientSecret } },
        destination: { webhook_url: webhookUrl },
        oauth_response: { incoming_webhook: { url: webhookUrl, channel: '#alerts' } },
        headers: { authorization: `Bearer ${apiKey}` },
        client: { secret: { value: 'an object under a secret key' } },
      },
      'connected',
    );
    const text = out.text();
    for (const value of [botToken, rotating, refreshToken, webhookUrl, apiKey, clientSecret, 'an object under a secret key']) {
      expect(text).not.toContain(value);
    }
    const [line] = out.lines();
    expect(line.token).toBe('xoxb-…a1b2');
    expect(line.connection).toEqual({ bot_token: 'xoxe.xoxb-…3c4d', oauth: { refresh_token: 'xoxe-1-…9z8y', client_secret: '…q9q0' } });
    expect(line.destination).toEqual({ webhook_url: 'https://hooks.slack.com/services/T…/B…/…w1x2' });
    expect(line.oauth_response).toEqual({ incoming_webhook: { url: 'https://hooks.slack.com/services/T…/B…/…w1x2', channel: '#alerts' } });
    expect(line.headers).toEqual({ authorization: 'Bearer sb_live_…k7k8' });
    expect(line.client).toEqual({ secret: '[redacted]' });
  });

  it('masks secrets inside ordinary strings, messages and errors', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    logger.warn({ note: `retrying ${emulatorUrl} for ${apiKey}`, list: [`x ${refreshToken}`] }, `posting with ${botToken}`);
    logger.error({ err: new Error(`Slack refused ${rotating} at ${webhookUrl}`) }, 'delivery failed');
    logger.error(new Error(`invalid_auth for ${botToken}`));
    logger.error({ error: new Error(`token_revoked for ${botToken}`) }, 'connection broken');
    const text = out.text();
    for (const value of [botToken, rotating, refreshToken, webhookUrl, emulatorUrl, apiKey]) {
      expect(text).not.toContain(value);
    }
    const [warning, failure, bare, named] = out.lines();
    expect(warning.msg).toBe('posting with xoxb-…a1b2');
    expect(warning.note).toBe('retrying http://127.0.0.1:4010/services/T…/B…/…e5f6 for sb_live_…k7k8');
    expect(warning.list).toEqual(['x xoxe-1-…9z8y']);
    const err = failure.err as { message: string; stack: string };
    expect(err.message).toBe('Slack refused xoxe.xoxb-…3c4d at https://hooks.slack.com/services/T…/B…/…w1x2');
    expect(err.stack).toContain('Slack refused xoxe.xoxb-…3c4d');
    expect(bare.msg).toBe('invalid_auth for xoxb-…a1b2');
    expect((named.error as { message: string }).message).toBe('token_revoked for xoxb-…a1b2');
  });

  it('keeps masking in child loggers and their bindings', () => {
    const out = capture();
    createLogger({ destination: out.stream }).child({ token: botToken, hook: emulatorUrl }).info(`via ${webhookUrl}`);
    const [line] = out.lines();
    expect(line).toMatchObject({
      token: 'xoxb-…a1b2',
      hook: 'http://127.0.0.1:4010/services/T…/B…/…e5f6',
      msg: 'via https://hooks.slack.com/services/T…/B…/…w1x2',
    });
  });

  it('writes pretty lines when asked: level, name and message first, fields below, no colours off a terminal', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, name: 'switchboard', format: 'pretty' });
    logger.info({ destinationId: 'dst_1' }, 'delivered');
    logger.debug('hidden at info');
    const text = out.text();
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO \(switchboard\): delivered\n {4}destinationId: "dst_1"\n$/);
    expect(text).not.toContain('\u001b[');
    expect(() => JSON.parse(text)).toThrow();
    expect(() => createLogger({ format: 'text' as 'json' })).toThrow(/log format must be json or pretty/);
  });

  it('masks secrets in pretty lines as in JSON ones: under secret keys, in strings, messages and errors, in children', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, format: 'pretty' });
    logger.info({ token: botToken, connection: { oauth: { client_secret: clientSecret } }, headers: { authorization: `Bearer ${apiKey}` } }, 'connected');
    logger.warn({ note: `retrying ${emulatorUrl}` }, `posting with ${rotating}`);
    logger.error({ err: new Error(`Slack refused ${refreshToken} at ${webhookUrl}`) }, 'delivery failed');
    logger.child({ hook: webhookUrl }).info(`via ${botToken}`);
    const text = out.text();
    for (const value of [botToken, rotating, refreshToken, webhookUrl, emulatorUrl, apiKey, clientSecret]) {
      expect(text).not.toContain(value);
    }
    expect(text).toContain('token: "xoxb-…a1b2"');
    expect(text).toContain('"authorization": "Bearer sb_live_…k7k8"');
    expect(text).toContain('"client_secret": "…q9q0"');
    expect(text).toContain('posting with xoxe.xoxb-…3c4d');
    expect(text).toContain('Slack refused xoxe-1-…9z8y at https://hooks.slack.com/services/T…/B…/…w1x2');
    expect(text).toContain('via xoxb-…a1b2');
  });

  it('does not touch the objects it is given', () => {
    const out = capture();
    const connection = { bot_token: botToken };
    createLogger({ destination: out.stream }).info({ connection }, 'saved');
    expect(connection.bot_token).toBe(botToken);
  });
});
