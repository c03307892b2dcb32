/**
 * `switchboard manifest`: prints the Slack app manifest for this deployment (JSON or YAML), built
 * from SWITCHBOARD_PUBLIC_URL and SWITCHBOARD_FEATURES unless options say otherwise. The manifest
 * goes to standard output, so it can be piped to a file; warnings and next steps go to standard error.
 */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfig } from '../../config.ts';
import { ConfigError } from '../../errors.ts';
import { buildManifest, manifestWarnings } from '../../oauth/build-manifest.ts';
import { FEATURE_NAMES } from '../../slack/slack-features.ts';

interface ManifestCliOptions {
  format: string;
  name?: string;
  publicUrl?: string;
  features?: string;
  tokenRotation?: boolean;
}

export function registerManifestCommand(program: Command): void {
  program
    .command('manifest')
    .description('Print the Slack app manifest for the enabled features (paste it into "Create an app → From a manifest")')
    .option('--format <format>', 'json or yaml', 'yaml')
    .option('--name <name>', 'app name shown in Slack (1 to 35 characters)')
    .option('--public-url <url>', 'the https address Slack reaches this server at (default SWITCHBOARD_PUBLIC_URL)')
    .option('--features <list>', `comma-separated features, overriding SWITCHBOARD_FEATURES: ${FEATURE_NAMES.join(', ')}`)
    .option('--token-rotation', 'turn on token rotation (Slack does not let it be turned off again)')
    .action((opts: ManifestCliOptions) => {
      process.stdout.write(manifestText(opts, process.env));
      const next = [
        ...warningsFor(opts, process.env).map((w) => `warning: ${w}`),
        'Next: at https://api.slack.com/apps choose "Create New App" → "From a manifest", paste this, install nothing yet,',
        'and set SWITCHBOARD_SLACK_CLIENT_ID, SWITCHBOARD_SLACK_CLIENT_SECRET and SWITCHBOARD_SLACK_SIGNING_SECRET from its Basic Information page.',
      ];
      process.stderr.write(`${next.join('\n')}\n`);
    });
}

function manifestFor(opts: ManifestCliOptions, env: Record<string, string | undefined>) {
  const config = loadConfig({
    ...env,
    ...(opts.publicUrl !== undefined ? { SWITCHBOARD_PUBLIC_URL: opts.publicUrl } : {}),
    ...(opts.features !== undefined ? { SWITCHBOARD_FEATURES: opts.features } : {}),
  });
  return buildManifest({ appName: opts.name, publicUrl: config.publicUrl, features: config.slackApp.features, tokenRotation: Boolean(opts.tokenRotation) });
}

/** The manifest as the command prints it. */
export function manifestText(opts: ManifestCliOptions, env: Record<string, string | undefined>): string {
  const manifest = manifestFor(opts, env);
  if (opts.format === 'json') return `${JSON.stringify(manifest, null, 2)}\n`;
  if (opts.format === 'yaml') return stringify(manifest);
  throw new ConfigError('--format', 'json or yaml', opts.format);
}

export function warningsFor(opts: ManifestCliOptions, env: Record<string, string | undefined>): string[] {
  return manifestWarnings(manifestFor(opts, env));
}
