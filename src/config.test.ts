import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has safe defaults with no variables set', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.slackApiUrl).toBe('https://slack.com/api/');
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('names the variable and what it expects on a bad value', () => {
    expect(() => loadConfig({ SWITCHBOARD_PORT: 'eighty' })).toThrow(/SWITCHBOARD_PORT .*integer from 0 to 65535/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL .*postgres:\/\//);
    expect(() => loadConfig({ SWITCHBOARD_LOG_LEVEL: 'loud' })).toThrow(/SWITCHBOARD_LOG_LEVEL/);
    expect(() => loadConfig({ SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS: 'not a url' })).toThrow(/SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS/);
  });

  it('normalises the Slack API URL and webhook origins', () => {
    const c = loadConfig({ SWITCHBOARD_SLACK_API_URL: 'http://127.0.0.1:3100/api', SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS: 'http://127.0.0.1:3100/x' });
    expect(c.slackApiUrl).toBe('http://127.0.0.1:3100/api/');
    expect(c.allowedWebhookOrigins).toEqual(['http://127.0.0.1:3100']);
  });
});
