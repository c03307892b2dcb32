import { describe, expect, it } from 'vitest';
import { isMaskedSecret, maskSecret } from './mask-secret.ts';

describe('maskSecret', () => {
  it.each([
    ['xoxb-emulator-T0001-0123456789a1b2', 'xoxb-…a1b2'],
    ['xoxp-emulator-U0001-0123456789a1b2', 'xoxp-…a1b2'],
    ['xoxe.xoxb-emulator-T0001-abcdefa1b2', 'xoxe.xoxb-…a1b2'],
    ['xoxe.xoxp-emulator-T0001-abcdefa1b2', 'xoxe.xoxp-…a1b2'],
    ['xoxe-1-emulator-refresh-abcdefa1b2', 'xoxe-1-…a1b2'],
    ['xapp-emulator-A0001-abcdefa1b2', 'xapp-…a1b2'],
    ['sb_live_0123456789abcdefghjka1b2', 'sb_live_…a1b2'],
    ['sb_admin_0123456789abcdefghjka1b2', 'sb_admin_…a1b2'],
    ['https://hooks.slack.com/services/T00000000/B00000000/fake-not-secret-a1b2', 'https://hooks.slack.com/services/T…/B…/…a1b2'],
    ['http://127.0.0.1:4010/services/TEMU0001/BEMU0001/emulatorsecreta1b2', 'http://127.0.0.1:4010/services/T…/B…/…a1b2'],
    ['https://hooks.slack.com/commands/T00000000/000000000000/XXXXXXXXXXXXa1b2', 'https://hooks.slack.com/commands/T…/…/…a1b2'],
    ['https://hooks.slack.com/workflows/T00000000/A00000000/000000000000/XXXXXXXXa1b2', 'https://hooks.slack.com/workflows/T…/A…/…/…a1b2'],
    ['some-signing-secret-a1b2', '…a1b2'],
    ['12345678', '…5678'],
    ['1234567', '…'],
    ['', '…'],
    // The secret part is short: show only the kind.
    ['xoxb-abc', 'xoxb-…'],
  ])('%s → %s', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
    expect(isMaskedSecret(masked)).toBe(true);
  });

  it.each([
    ['https://usr:pa55word@hooks.slack.com/services/T00000000/B00000000/fake-not-secret-a1b2', 'https://hooks.slack.com/services/T…/B…/…a1b2'],
    ['http://usr:pa55word@127.0.0.1:4010/services/TEMU0001/BEMU0001/emulatorsecreta1b2', 'http://127.0.0.1:4010/services/T…/B…/…a1b2'],
    ['https://onlyauser@hooks.slack.com/services/T00000000/B00000000/fake-not-secret-a1b2', 'https://hooks.slack.com/services/T…/B…/…a1b2'],
    // A hint stored before userinfo was refused: masked again, without it.
    ['http://usr:pa55word@127.0.0.1:4010/services/T…/B…/…a1b2', 'http://127.0.0.1:4010/services/T…/B…/…a1b2'],
    ['https://usr:pa55word@example.com', '….com'],
  ])('drops the user name and password of %s', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
    expect(maskSecret(value)).not.toMatch(/usr|pa55word|onlyauser/);
    expect(isMaskedSecret(value)).toBe(false);
  });

  it('never recognises a real-looking secret as already masked', () => {
    for (const value of ['xoxb-emulator-T0001-0123456789a1b2', 'https://hooks.slack.com/services/T0/B0/XXXXXXXXa1b2', 'a1b2']) {
      expect(isMaskedSecret(value)).toBe(false);
    }
  });
});
