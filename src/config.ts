/**
 * Configuration from environment variables, read once at start-up. Every variable has a safe
 * default; a malformed value stops start-up with a ConfigError naming the variable and what it
 * expects. The README's configuration table documents each of these.
 */
import path from 'node:path';
import { ConfigError } from './errors.ts';
import { FEATURE_NAMES, isSlackFeature, type SlackFeature } from './slack/slack-features.ts';

export interface Config {
  host: string;
  port: number;
  /** URL people and the CLI use to reach this server (printed in the banner, used in links). */
  publicUrl: string;
  /** PostgreSQL connection URL; when empty the embedded PGlite database in dataDir is used. */
  databaseUrl?: string;
  dataDir: string;
  adminKey?: string;
  encryptionKey?: string;
  slackApiUrl: string;
  /** Origins besides https://hooks.slack.com whose /services/ URLs are accepted as webhooks (the emulator). */
  allowedWebhookOrigins: string[];
  logLevel: string;
  /** `pretty` for people (the default on a terminal), `json` lines for machines (the default otherwise). */
  logFormat: LogFormat;
  maxBodyBytes: number;
  http: HttpServerConfig;
  /** Time limits on PostgreSQL, so a database that is down or stuck answers 503 instead of hanging. */
  databaseTimeouts: DatabaseTimeouts;
  /** The budget for rendering one message (src/templates/render-budget.ts). */
  render: { timeMs: number; steps: number };
  /** When set, GET /metrics requires `Authorization: Bearer <token>`; open otherwise. */
  metricsToken?: string;
  delivery: DeliveryConfig;
  slackApp: SlackAppConfig;
}

/** Limits of the HTTP server, so slow or stalled clients cannot hold connections for minutes. */
export interface HttpServerConfig {
  /** Time to receive a whole request, headers and body; a slower client gets 408 and is disconnected. */
  requestTimeoutMs: number;
  /** Time to receive the request headers (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open. */
  keepAliveTimeoutMs: number;
  /** Connections open at once; further ones are closed as they arrive. */
  maxConnections: number;
}

export interface DatabaseTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** The Slack app behind "Connect Slack" (OAuth v2). OAuth is off until client id and secret are set. */
export interface SlackAppConfig {
  clientId?: string;
  clientSecret?: string;
  /** Verifies requests Slack sends us (v0 signatures [D-VERIFY]). */
  signingSecret?: string;
  /** Slack's authorize page; the emulator's in demo mode and tests. */
  authorizeUrl: string;
  /** Optional features; each adds the scopes it needs (src/slack/slack-features.ts). */
  features: SlackFeature[];
}

export interface DeliveryConfig {
  /** Run the delivery engine in this process (off: API only). */
  enabled: boolean;
  /** Sends in flight at once in this process. */
  concurrency: number;
  /** Messages per second per destination, and how many may go at once after a quiet spell. */
  perDestinationPerSecond: number;
  perDestinationBurst: number;
  /** Messages per minute per Slack workspace, and its burst. */
  perWorkspacePerMinute: number;
  perWorkspaceBurst: number;
  /** How long a failing delivery is retried before it is dead-lettered. */
  retryWindowHours: number;
  /** Time allowed for one call to Slack. */
  sendTimeoutMs: number;
  /** A worker silent this long is presumed dead and its in-flight sends are released. */
  workerStaleSeconds: number;
  /** Attempts (the audit log) and finished deliveries are kept this many days. */
  retentionDays: number;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return n;
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `a number from ${min} to ${max}`, raw);
  return n;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'off', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, 'on or off', raw);
}

function url(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    const u = new URL(raw);
    if (!protocols.includes(u.protocol)) throw new Error('protocol');
    return raw;
  } catch {
    throw new ConfigError(name, `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`, raw);
  }
}

function origins(env: Env, name: string): string[] {
  const raw = env[name];
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const value = part.trim();
    try {
      return new URL(value).origin;
    } catch {
      throw new ConfigError(name, 'a comma-separated list of origins such as http://127.0.0.1:3100', raw);
    }
  });
}

function features(env: Env, name: string): SlackFeature[] {
  const raw = env[name];
  if (!raw) return [];
  const list = raw.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = list.filter((f) => !isSlackFeature(f));
  if (unknown.length) throw new ConfigError(name, `a comma-separated list of ${FEATURE_NAMES.join(', ')}`, raw);
  return [...new Set(list as SlackFeature[])];
}

function slackApp(env: Env): SlackAppConfig {
  const clientId = env.SWITCHBOARD_SLACK_CLIENT_ID || undefined;
  const clientSecret = env.SWITCHBOARD_SLACK_CLIENT_SECRET || undefined;
  // One without the other can only be a mistake, and OAuth would fail at the first install.
  if (clientId && !clientSecret) throw new ConfigError('SWITCHBOARD_SLACK_CLIENT_SECRET', 'the Client Secret of the Slack app (SWITCHBOARD_SLACK_CLIENT_ID is set)');
  if (clientSecret && !clientId) throw new ConfigError('SWITCHBOARD_SLACK_CLIENT_ID', 'the Client ID of the Slack app (SWITCHBOARD_SLACK_CLIENT_SECRET is set)');
  return {
    clientId,
    clientSecret,
    signingSecret: env.SWITCHBOARD_SLACK_SIGNING_SECRET || undefined,
    authorizeUrl: url(env, 'SWITCHBOARD_SLACK_AUTHORIZE_URL', 'https://slack.com/oauth/v2/authorize', ['https:', 'http:'])!,
    features: features(env, 'SWITCHBOARD_FEATURES'),
  };
}

function httpServer(env: Env): HttpServerConfig {
  const requestTimeoutMs = integer(env, 'SWITCHBOARD_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000);
  const headersTimeoutMs = integer(env, 'SWITCHBOARD_HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), 100, 600_000);
  // Node refuses a headers timeout longer than the request timeout; say so in our words.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('SWITCHBOARD_HEADERS_TIMEOUT_MS', `at most SWITCHBOARD_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`, String(headersTimeoutMs));
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'SWITCHBOARD_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    maxConnections: integer(env, 'SWITCHBOARD_MAX_CONNECTIONS', 1024, 1, 1_000_000),
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

function logFormat(env: Env, stdoutIsTTY: boolean): LogFormat {
  const raw = env.SWITCHBOARD_LOG_FORMAT;
  if (raw === undefined || raw === '') return stdoutIsTTY ? 'pretty' : 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(raw)) throw new ConfigError('SWITCHBOARD_LOG_FORMAT', LOG_FORMATS.join(' or '), raw);
  return raw as LogFormat;
}

/** `stdoutIsTTY` picks the default log format (pretty on a terminal); the process's own standard output by default. */
export function loadConfig(env: Env = process.env, options: { stdoutIsTTY?: boolean } = {}): Config {
  const host = env.SWITCHBOARD_HOST || '127.0.0.1';
  const port = integer(env, 'SWITCHBOARD_PORT', 3000, 0, 65535);
  const logLevel = env.SWITCHBOARD_LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('SWITCHBOARD_LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, logLevel);
  const slackApiUrl = url(env, 'SWITCHBOARD_SLACK_API_URL', 'https://slack.com/api/', ['https:', 'http:'])!;
  return {
    host,
    port,
    publicUrl: (url(env, 'SWITCHBOARD_PUBLIC_URL', undefined, ['https:', 'http:']) ?? `http://${host}:${port}`).replace(/\/$/, ''),
    databaseUrl: url(env, 'DATABASE_URL', undefined, ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.SWITCHBOARD_DATA_DIR || './data'),
    adminKey: env.SWITCHBOARD_ADMIN_KEY || undefined,
    encryptionKey: env.SWITCHBOARD_ENCRYPTION_KEY || undefined,
    slackApiUrl: slackApiUrl.endsWith('/') ? slackApiUrl : `${slackApiUrl}/`,
    allowedWebhookOrigins: origins(env, 'SWITCHBOARD_ALLOWED_WEBHOOK_ORIGINS'),
    logLevel,
    logFormat: logFormat(env, options.stdoutIsTTY ?? Boolean(process.stdout.isTTY)),
    maxBodyBytes: integer(env, 'SWITCHBOARD_MAX_BODY_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    http: httpServer(env),
    databaseTimeouts: {
      connectTimeoutMs: integer(env, 'SWITCHBOARD_DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
      statementTimeoutMs: integer(env, 'SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
      lockTimeoutMs: integer(env, 'SWITCHBOARD_DB_LOCK_TIMEOUT_MS', 3_000, 10, 3_600_000),
    },
    render: {
      timeMs: integer(env, 'SWITCHBOARD_RENDER_TIMEOUT_MS', 100, 5, 60_000),
      steps: integer(env, 'SWITCHBOARD_RENDER_MAX_STEPS', 200_000, 1_000, 100_000_000),
    },
    metricsToken: env.SWITCHBOARD_METRICS_TOKEN || undefined,
    delivery: {
      enabled: flag(env, 'SWITCHBOARD_DELIVERY', true),
      concurrency: integer(env, 'SWITCHBOARD_DELIVERY_CONCURRENCY', 50, 1, 1000),
      // Slack: "1 message per second per channel", "several hundred messages per minute" per
      // workspace [D-POST]. A little under both, so network jitter never makes us look early.
      perDestinationPerSecond: number(env, 'SWITCHBOARD_PACE_PER_SECOND', 0.95, 0.001, 100_000),
      perDestinationBurst: integer(env, 'SWITCHBOARD_PACE_BURST', 3, 1, 100_000),
      perWorkspacePerMinute: number(env, 'SWITCHBOARD_WORKSPACE_PER_MINUTE', 285, 1, 10_000_000),
      perWorkspaceBurst: integer(env, 'SWITCHBOARD_WORKSPACE_BURST', 300, 1, 1_000_000),
      retryWindowHours: number(env, 'SWITCHBOARD_RETRY_HOURS', 24, 0.001, 24 * 30),
      sendTimeoutMs: integer(env, 'SWITCHBOARD_SEND_TIMEOUT_MS', 10_000, 100, 120_000),
      workerStaleSeconds: number(env, 'SWITCHBOARD_WORKER_STALE_SECONDS', 30, 1, 3600),
      retentionDays: number(env, 'SWITCHBOARD_RETENTION_DAYS', 30, 1, 3650),
    },
    slackApp: slackApp(env),
  };
}
