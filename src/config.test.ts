import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ConfigError } from './errors.ts';

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

  it('limits the HTTP server instead of leaving the Node defaults', () => {
    expect(loadConfig({}).http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024 });
    const c = loadConfig({
      SWITCHBOARD_REQUEST_TIMEOUT_MS: '60000',
      SWITCHBOARD_HEADERS_TIMEOUT_MS: '15000',
      SWITCHBOARD_KEEP_ALIVE_TIMEOUT_MS: '65000',
      SWITCHBOARD_MAX_CONNECTIONS: '20000',
    });
    expect(c.http).toEqual({ requestTimeoutMs: 60_000, headersTimeoutMs: 15_000, keepAliveTimeoutMs: 65_000, maxConnections: 20_000 });
    // A request timeout under 10 s lowers the default headers timeout with it.
    expect(loadConfig({ SWITCHBOARD_REQUEST_TIMEOUT_MS: '5000' }).http.headersTimeoutMs).toBe(5_000);
  });

  it('logs pretty lines on a terminal and JSON otherwise, unless SWITCHBOARD_LOG_FORMAT says', () => {
    expect(loadConfig({}, { stdoutIsTTY: true }).logFormat).toBe('pretty');
    expect(loadConfig({}, { stdoutIsTTY: false }).logFormat).toBe('json');
    expect(loadConfig({ SWITCHBOARD_LOG_FORMAT: 'json' }, { stdoutIsTTY: true }).logFormat).toBe('json');
    expect(loadConfig({ SWITCHBOARD_LOG_FORMAT: 'pretty' }, { stdoutIsTTY: false }).logFormat).toBe('pretty');
    expect(() => loadConfig({ SWITCHBOARD_LOG_FORMAT: 'text' })).toThrow(/^SWITCHBOARD_LOG_FORMAT is invalid \("text"\): expected json or pretty$/);
    expect(() => loadConfig({ SWITCHBOARD_LOG_FORMAT: 'JSON' })).toThrow(ConfigError);
  });

  it('refuses a bad HTTP server limit, naming the variable', () => {
    expect(() => loadConfig({ SWITCHBOARD_REQUEST_TIMEOUT_MS: '30s' })).toThrow(/^SWITCHBOARD_REQUEST_TIMEOUT_MS is invalid \("30s"\): expected an integer from 100 to 600000$/);
    expect(() => loadConfig({ SWITCHBOARD_HEADERS_TIMEOUT_MS: '0' })).toThrow(/^SWITCHBOARD_HEADERS_TIMEOUT_MS is invalid/);
    expect(() => loadConfig({ SWITCHBOARD_KEEP_ALIVE_TIMEOUT_MS: '-1' })).toThrow(/^SWITCHBOARD_KEEP_ALIVE_TIMEOUT_MS is invalid/);
    expect(() => loadConfig({ SWITCHBOARD_MAX_CONNECTIONS: '0' })).toThrow(/^SWITCHBOARD_MAX_CONNECTIONS is invalid \("0"\): expected an integer from 1 to 1000000$/);
    expect(() => loadConfig({ SWITCHBOARD_MAX_CONNECTIONS: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ SWITCHBOARD_REQUEST_TIMEOUT_MS: '5000', SWITCHBOARD_HEADERS_TIMEOUT_MS: '8000' })).toThrow(
      /^SWITCHBOARD_HEADERS_TIMEOUT_MS is invalid \("8000"\): expected at most SWITCHBOARD_REQUEST_TIMEOUT_MS \(5000\)$/,
    );
  });
});
