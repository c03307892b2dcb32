/**
 * The Slack app settings (environment variables) and `switchboard manifest` as a person runs it:
 * the manifest alone on standard output, parseable as YAML or JSON, warnings on standard error.
 * (A spawned process because the command's output streams are the subject.)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('Slack app configuration', () => {
  it('is off by default, with chat:write only and Slack’s authorize page', () => {
    expect(loadConfig({}).slackApp).toEqual({ clientId: undefined, clientSecret: undefined, signingSecret: undefined, authorizeUrl: 'https://slack.com/oauth/v2/authorize', features: [] });
  });

  it('reads the app’s credentials and the features', () => {
    const c = loadConfig({
      SWITCHBOARD_SLACK_CLIENT_ID: '1000000001.2000000002',
      SWITCHBOARD_SLACK_CLIENT_SECRET: 'emulator-client-secret',
      SWITCHBOARD_SLACK_SIGNING_SECRET: 'emulator-signing-secret',
      SWITCHBOARD_SLACK_AUTHORIZE_URL: 'http://127.0.0.1:3100/oauth/v2/authorize',
      SWITCHBOARD_FEATURES: ' dm, channel_picker ,dm',
    }).slackApp;
    expect(c).toEqual({
      clientId: '1000000001.2000000002',
      clientSecret: 'emulator-client-secret',
      signingSecret: 'emulator-signing-secret',
      authorizeUrl: 'http://127.0.0.1:3100/oauth/v2/authorize',
      features: ['dm', 'channel_picker'],
    });
  });

  it('stops at start-up naming the variable when a value is wrong or half the credentials are set', () => {
    expect(() => loadConfig({ SWITCHBOARD_FEATURES: 'dm,emoji' })).toThrow(/SWITCHBOARD_FEATURES .*channel_picker, public_channels, join_channels, dm, webhooks/);
    expect(() => loadConfig({ SWITCHBOARD_SLACK_CLIENT_ID: '123.456' })).toThrow(/SWITCHBOARD_SLACK_CLIENT_SECRET is missing/);
    expect(() => loadConfig({ SWITCHBOARD_SLACK_CLIENT_SECRET: 'shh' })).toThrow(/SWITCHBOARD_SLACK_CLIENT_ID is missing/);
    expect(() => loadConfig({ SWITCHBOARD_SLACK_AUTHORIZE_URL: 'slack.com/oauth' })).toThrow(/SWITCHBOARD_SLACK_AUTHORIZE_URL/);
  });
});

describe('switchboard manifest', () => {
  it('prints only the manifest on standard output, in YAML or JSON, and the next steps on standard error', async () => {
    const env = { SWITCHBOARD_PUBLIC_URL: 'https://switchboard.example.com', SWITCHBOARD_FEATURES: 'channel_picker' };
    const yaml = await run(['manifest'], env);
    expect(yaml.code).toBe(0);
    const fromYaml = parse(yaml.stdout);
    expect(fromYaml.oauth_config).toEqual({ redirect_urls: ['https://switchboard.example.com/oauth/callback'], scopes: { bot: ['chat:write', 'channels:read', 'groups:read'] } });
    expect(yaml.stderr).toContain('From a manifest');
    expect(yaml.stderr).not.toContain('warning');

    const json = await run(['manifest', '--format', 'json', '--features', 'webhooks', '--public-url', 'http://127.0.0.1:3000'], env);
    expect(json.code).toBe(0);
    const fromJson = JSON.parse(json.stdout);
    expect(fromJson.oauth_config.scopes.bot).toEqual(['chat:write', 'incoming-webhook']);
    expect(json.stderr).toMatch(/warning: Slack only accepts HTTPS redirect URLs/);

    const bad = await run(['manifest', '--format', 'xml'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('json or yaml');
  });
});
