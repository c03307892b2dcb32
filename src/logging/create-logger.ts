/**
 * Structured logs (pino): JSON lines, or `pretty` lines for people (pino-pretty, in this process),
 * safe by construction in both. Two layers keep secrets out:
 *  1. `redact` masks values under secret-bearing keys (token, client_secret, authorization, ...),
 *     whatever their shape, down to a few levels of nesting;
 *  2. every finished line passes through scrubSecrets, so a token or webhook URL inside a message,
 *     an error's message or stack, or an unexpected field is masked too.
 * Child loggers inherit both. Pretty lines are drawn from the finished, scrubbed JSON line.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { maskSecret } from '../secrets/mask-secret.ts';
import { scrubSecrets } from './scrub-secrets.ts';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CreateLoggerOptions {
  /** One of LOG_LEVELS; default info. */
  level?: string;
  /** Where lines go; default standard output. */
  destination?: NodeJS.WritableStream | DestinationStream;
  /** Written as `name` on every line. */
  name?: string;
  /** `json` (default) or `pretty` (human-readable lines). */
  format?: 'json' | 'pretty';
  /** Pretty format only: colours; by default when writing to a terminal. */
  colorize?: boolean;
}

/** Keys whose values are secrets whatever they look like. */
export const SECRET_KEYS = [
  'token',
  'bot_token',
  'botToken',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'app_token',
  'appToken',
  'user_token',
  'webhook_url',
  'webhookUrl',
  'response_url',
  'responseUrl',
  'client_secret',
  'clientSecret',
  'signing_secret',
  'signingSecret',
  'api_key',
  'apiKey',
  'admin_key',
  'adminKey',
  'encryption_key',
  'encryptionKey',
  'metricsToken',
  'password',
  'secret',
  'authorization',
  'cookie',
] as const;

/** How deep below the top level of a log call the secret keys are looked for (pino's `*` is one level). */
const REDACT_DEPTH = 3;

export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => '*.'.repeat(depth) + key)),
  // An OAuth response nests the webhook URL as incoming_webhook.url [D-WH].
  'incoming_webhook.url',
  '*.incoming_webhook.url',
  '*.*.incoming_webhook.url',
  // Request headers: keys are lower-case in Node, but log callers may pass them as written.
  'headers.Authorization',
  '*.headers.Authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
];

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new RangeError(`log level must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(level)})`);
  }
  const config: LoggerOptions = {
    level,
    name: options.name,
    redact: { paths: [...REDACT_PATHS], censor: censorValue },
    hooks: { streamWrite: scrubSecrets },
    // `err` is pino's default; `error` is the other name callers reach for, and without a serializer
    // an Error logs as {} (its message and stack are not enumerable).
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.format === 'pretty') {
    const destination = options.destination ?? process.stdout;
    const stream = pretty({
      destination: destination as NodeJS.WritableStream,
      sync: true,
      colorize: options.colorize ?? Boolean((destination as { isTTY?: boolean }).isTTY),
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    });
    return pino(config, stream);
  }
  if (options.format !== undefined && options.format !== 'json') {
    throw new RangeError(`log format must be json or pretty (got ${JSON.stringify(options.format)})`);
  }
  return options.destination ? pino(config, options.destination as DestinationStream) : pino(config);
}

/** A masked string keeps its kind and last 4 characters; anything else under a secret key is hidden whole. */
function censorValue(value: unknown): unknown {
  if (typeof value === 'string') {
    // Keep an Authorization header's scheme: "Bearer xoxb-…a1b2" says more than "…a1b2".
    const scheme = /^(Bearer|Basic)\s+(.+)$/i.exec(value);
    return scheme ? `${scheme[1]} ${maskSecret(scheme[2])}` : maskSecret(value);
  }
  if (value === null || value === undefined) return value;
  return '[redacted]';
}
