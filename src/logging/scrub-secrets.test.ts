import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './scrub-secrets.ts';

describe('scrubSecrets', () => {
  it.each([
    ['bot token', 'posting with xoxb-emulator-T0001-abcdefghij0123a1b2 failed', 'posting with xoxb-…a1b2 failed'],
    ['user token', 'token=xoxp-emulator-U0001-abcdefghija1b2&x=1', 'token=xoxp-…a1b2&x=1'],
    ['rotating access token', 'got xoxe.xoxb-emulator-T0001-abcdefghija1b2.', 'got xoxe.xoxb-…a1b2.'],
    ['refresh token', '"refresh":"xoxe-1-emulator-abcdefghija1b2"', '"refresh":"xoxe-1-…a1b2"'],
    ['app-level token', 'xapp-emulator-A0001-abcdefghija1b2', 'xapp-…a1b2'],
    ['legacy token kinds', 'xoxa-emulator-abcdefa1b2 xoxo-emulator-abcdefa1b2 xoxs-emulator-abcdefa1b2 xoxr-emulator-abcdefa1b2', 'xoxa-…a1b2 xoxo-…a1b2 xoxs-…a1b2 xoxr-…a1b2'],
    ['project API key', 'key sb_live_0123456789abcdefghjkmnpqa1b2 rejected', 'key sb_live_…a1b2 rejected'],
    ['admin API key', 'sb_admin_0123456789abcdefghjka1b2', 'sb_admin_…a1b2'],
    [
      'incoming webhook URL',
      'POST https://hooks.slack.com/services/T00000000/B00000000/fake-not-secret-a1b2 → 404',
      'POST https://hooks.slack.com/services/T…/B…/…a1b2 → 404',
    ],
    [
      'workflow webhook URL',
      'https://hooks.slack.com/workflows/T00000000/A00000000/000000000000/XXXXXXXXXXXXa1b2',
      'https://hooks.slack.com/workflows/T…/A…/…/…a1b2',
    ],
    ['response URL', '(https://hooks.slack.com/commands/T00000000/000000000000/XXXXXXXXXXXXa1b2)', '(https://hooks.slack.com/commands/T…/…/…a1b2)'],
    [
      'form-encoded response URL in a slash command body',
      'command=%2Fdeploy&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT00000000%2F000000000000%2FXXXXXXXXXXXXa1b2&trigger_id=1',
      'command=%2Fdeploy&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT…%2F…%2F…a1b2&trigger_id=1',
    ],
    [
      'emulator webhook URL',
      'webhook http://127.0.0.1:4010/services/TEMU00001/BEMU00001/emulatorsecret0000a1b2 answered 200',
      'webhook http://127.0.0.1:4010/services/T…/B…/…a1b2 answered 200',
    ],
    ['webhook path without a host', 'POST /services/TEMU00001/BEMU00001/emulatorsecret0000a1b2 404', 'POST /services/T…/B…/…a1b2 404'],
    ['bearer credential of any shape', 'Authorization: Bearer some.opaque-credential+a1b2', 'Authorization: Bearer …a1b2'],
    ['bearer token keeps its kind', 'authorization: bearer xoxb-emulator-T0001-abcdefa1b2', 'authorization: bearer xoxb-…a1b2'],
    ['basic credentials', 'Authorization: Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ=', 'Authorization: Basic …ZXQ='],
    ['a truncated token is masked whole', 'token xoxb-emulator-T0001-abcd…', 'token xoxb-…bcd…'],
    [
      'webhook URL with a user name and password',
      'network error: Request cannot be constructed from a URL that includes credentials: http://usr:pa55word@127.0.0.1:3100/services/T0EMULATE/B00000002/EmulatorAlertsWebhook000',
      'network error: Request cannot be constructed from a URL that includes credentials: http://127.0.0.1:3100/services/T…/B…/…k000',
    ],
    [
      'Slack webhook URL with a user name and password',
      'POST https://usr:pa55word@hooks.slack.com/services/T00000000/B00000000/fake-not-secret-a1b2 failed',
      'POST https://hooks.slack.com/services/T…/B…/…a1b2 failed',
    ],
    ['masked hint that still shows a password', 'hint http://usr:pa55word@127.0.0.1:3100/services/T…/B…/…k000', 'hint http://127.0.0.1:3100/services/T…/B…/…k000'],
    ['password in any URL', 'proxy http://usr:pa55word@proxy.internal:3128/ refused', 'proxy http://…@proxy.internal:3128/ refused'],
    ['user name alone in a URL', 'cloning https://ghp_abcdef0123456789@example.com/x.git', 'cloning https://…@example.com/x.git'],
  ])('masks a %s', (_, text, expected) => {
    expect(scrubSecrets(text)).toBe(expected);
  });

  it.each([
    'nothing secret here: approval.created for subject approval:42',
    'use an xoxb- token with chat:write',
    'https://example.com/services/billing and https://slack.com/api/chat.postMessage',
    'Bearer tokens are required',
    'mail alice@example.com or see https://example.com/@alice and git@github.com:org/repo',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(scrubSecrets(text)).toBe(text);
  });

  it('leaves already-masked values as they are', () => {
    const masked = 'xoxb-…a1b2 xoxe-1-…a1b2 xoxe.xoxb-…a1b2 sb_admin_…a1b2 Bearer xoxb-…a1b2 https://hooks.slack.com/services/T…/B…/…a1b2 http://127.0.0.1:4010/services/T…/B…/…a1b2';
    expect(scrubSecrets(masked)).toBe(masked);
  });
});

const body = fc.stringMatching(/^[A-Za-z0-9]{16,40}$/);
const secret = fc.oneof(
  body.map((b) => ({ value: `xoxb-emulator-${b}`, hidden: b })),
  body.map((b) => ({ value: `xoxe.xoxp-emulator-${b}`, hidden: b })),
  body.map((b) => ({ value: `xoxe-1-${b}`, hidden: b })),
  body.map((b) => ({ value: `xapp-1-${b}`, hidden: b })),
  body.map((b) => ({ value: `sb_live_${b}`, hidden: b })),
  body.map((b) => ({ value: `https://hooks.slack.com/services/T00000000/B00000000/${b}`, hidden: b })),
  fc.tuple(fc.integer({ min: 1024, max: 65535 }), body).map(([port, b]) => ({ value: `http://127.0.0.1:${port}/services/TEMU/BEMU/${b}`, hidden: b })),
  body.map((b) => ({ value: `https://user:${b}@example.com/path`, hidden: b })),
  body.map((b) => ({ value: `http://user:${b}@127.0.0.1:3100/services/TEMU/BEMU/secretpart`, hidden: b })),
);
const context = fc.string({ unit: 'grapheme', maxLength: 30 });

describe('scrubSecrets properties', () => {
  it('leaves no more than the last 4 characters of any secret, wherever it sits in the text', () => {
    fc.assert(
      fc.property(context, secret, context, (before, { value, hidden }, after) => {
        const scrubbed = scrubSecrets(`${before}${value}${after}`);
        expect(scrubbed).not.toContain(hidden.slice(0, -4));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps JSON valid and is idempotent', () => {
    fc.assert(
      fc.property(context, secret, context, (before, { value }, after) => {
        const line = JSON.stringify({ msg: `${before}${value}${after}`, nested: { url: value } });
        const once = scrubSecrets(line);
        expect(() => JSON.parse(once)).not.toThrow();
        expect(scrubSecrets(once)).toBe(once);
      }),
      { numRuns: 1_000 },
    );
  });
});
