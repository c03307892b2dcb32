/**
 * The optional Slack features an operator turns on (SWITCHBOARD_FEATURES), and the bot scopes each
 * one needs. Least privilege: with no feature on, the app asks for `chat:write` alone and posts only
 * in channels it was invited to; every further scope is asked for by the feature that uses it. The
 * manifest, the install URL and the channel picker all read this one table.
 */
export const SLACK_FEATURES = {
  /** The channel picker lists public and private channels (conversations.list). */
  channel_picker: ['channels:read', 'groups:read'],
  /** Post to public channels without being invited ("chat:write.public" [D-POST]). */
  public_channels: ['chat:write.public'],
  /** Join a public channel when Slack answers not_in_channel (conversations.join [REF]). */
  join_channels: ['channels:join'],
  /** Direct messages: find people by email (users.lookupByEmail) and open DMs (conversations.open). */
  dm: ['im:write', 'users:read.email'],
  /** The install creates an incoming webhook in a channel the installer picks [D-WH]. */
  webhooks: ['incoming-webhook'],
} as const satisfies Record<string, readonly string[]>;

export type SlackFeature = keyof typeof SLACK_FEATURES;

export const FEATURE_NAMES = Object.keys(SLACK_FEATURES) as SlackFeature[];

/** The one scope every install needs: posting as the app. */
export const BASE_SCOPE = 'chat:write';

export function isSlackFeature(name: string): name is SlackFeature {
  return Object.hasOwn(SLACK_FEATURES, name);
}

/** Bot scopes for the enabled features, `chat:write` first, each once, in a stable order. */
export function botScopesFor(features: readonly SlackFeature[]): string[] {
  const scopes = [BASE_SCOPE];
  for (const feature of FEATURE_NAMES) {
    if (!features.includes(feature)) continue;
    for (const scope of SLACK_FEATURES[feature]) if (!scopes.includes(scope)) scopes.push(scope);
  }
  return scopes;
}

/** The features that would ask for a scope, to tell an admin which feature to turn on. */
export function featuresGranting(scope: string): SlackFeature[] {
  return FEATURE_NAMES.filter((f) => (SLACK_FEATURES[f] as readonly string[]).includes(scope));
}
