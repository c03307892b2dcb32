/**
 * The Slack app manifest for this deployment [D-MANIFEST]: paste it into "Create an app → From a
 * manifest" and the app asks for exactly the scopes of the enabled features (least privilege:
 * `chat:write` alone by default), with our OAuth callback as its redirect URL. Field names and
 * limits follow slack-platform.md §8; unknown keys are errors there ("additionalProperties:false"),
 * so only documented keys are written.
 */
import { ValidationError } from '../errors.ts';
import { redirectUrlFor } from './oauth-deps.ts';
import { botScopesFor, type SlackFeature } from '../slack/slack-features.ts';

export interface ManifestOptions {
  /** display_information.name (1–35 characters) and the bot's display name. */
  appName?: string;
  /** display_information.description (up to 140 characters). */
  description?: string;
  /** Where Slack reaches this server (SWITCHBOARD_PUBLIC_URL). */
  publicUrl: string;
  features: readonly SlackFeature[];
  /** settings.token_rotation_enabled: once on, Slack does not let it be turned off [D-ROT]. */
  tokenRotation?: boolean;
}

export interface SlackAppManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; background_color: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    app_home?: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
  };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: {
    incoming_webhooks?: { incoming_webhooks_enabled: boolean };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

export const DEFAULT_APP_NAME = 'Switchboard';
const DEFAULT_DESCRIPTION = 'Notifications from your apps: alerts, approvals and updates, delivered to the channels you pick.';

export function buildManifest(options: ManifestOptions): SlackAppManifest {
  const name = (options.appName ?? DEFAULT_APP_NAME).trim();
  const description = (options.description ?? DEFAULT_DESCRIPTION).trim();
  // Limits from the manifest schema (slack-platform.md §8).
  if (name.length < 1 || name.length > 35) throw new ValidationError('The app name must be 1 to 35 characters (Slack app manifest limit)', { field: 'name' });
  if (description.length > 140) throw new ValidationError('The app description must be at most 140 characters (Slack app manifest limit)', { field: 'description' });
  const has = (f: SlackFeature) => options.features.includes(f);
  const manifest: SlackAppManifest = {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: { name, description, background_color: '#1d3557' },
    features: { bot_user: { display_name: name, always_online: true } },
    oauth_config: { redirect_urls: [redirectUrlFor(options.publicUrl)], scopes: { bot: botScopesFor(options.features) } },
    settings: { org_deploy_enabled: false, socket_mode_enabled: false, token_rotation_enabled: Boolean(options.tokenRotation) },
  };
  // DMs from an app arrive in its Messages tab; with the tab off Slack answers messages_tab_disabled [D-POST].
  if (has('dm')) manifest.features.app_home = { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: true };
  if (has('webhooks')) manifest.settings = { incoming_webhooks: { incoming_webhooks_enabled: true }, ...manifest.settings };
  return manifest;
}

/** Things Slack would refuse or that would break the install, said before the operator pastes it. */
export function manifestWarnings(manifest: SlackAppManifest): string[] {
  const warnings: string[] = [];
  for (const url of manifest.oauth_config.redirect_urls) {
    // "redirect_uri must be HTTPS" [D-OAUTH].
    if (!url.startsWith('https://')) {
      warnings.push(`Slack only accepts HTTPS redirect URLs, and ${url} is not one: set SWITCHBOARD_PUBLIC_URL to the https:// address Slack's users reach this server at.`);
    }
  }
  return warnings;
}
