/**
 * Scopes in plain words, as Slack's consent screen lists them ("View messages and other content
 * in public channels…"). Unknown scopes are shown by name.
 */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  'chat:write': 'Send messages as the app',
  'chat:write.public': 'Send messages to channels the app isn’t a member of',
  'chat:write.customize': 'Send messages with a customized username and avatar',
  'channels:read': 'View basic information about public channels',
  'channels:join': 'Join public channels',
  'channels:history': 'View messages and other content in public channels the app has been added to',
  'channels:write': 'Manage public channels and create new ones',
  'groups:read': 'View basic information about private channels the app has been added to',
  'im:read': 'View basic information about direct messages the app has been added to',
  'im:write': 'Start direct messages with people',
  'mpim:read': 'View basic information about group direct messages the app has been added to',
  'mpim:write': 'Start group direct messages with people',
  'users:read': 'View people in the workspace',
  'users:read.email': 'View email addresses of people in the workspace',
  'incoming-webhook': 'Post messages to a specific channel',
  commands: 'Add shortcuts and/or slash commands that people can use',
  'reactions:write': 'Add and edit emoji reactions',
  'team:read': 'View the name, email domain, and icon of the workspace',
};

export function describeScope(scope: string): string {
  return SCOPE_DESCRIPTIONS[scope] ?? scope;
}

/** Scopes arrive comma-separated (Slack's form) or space-separated (OAuth's). */
export function parseScopes(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
