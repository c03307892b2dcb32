/**
 * Finding the person behind an email for a DM destination: users.lookupByEmail (users:read.email)
 * gives the user id, and conversations.open (im:write) checks a direct message can be opened with
 * them [REF]. A DM destination can then be created with the user id.
 */
import { SwitchboardError } from '../errors.ts';
import type { TokenDeps } from './get-fresh-bot-token.ts';
import { callSlackAsConnection } from './call-slack-as-connection.ts';
import { getConnection } from './connection-store.ts';

export interface FoundSlackUser {
  user: { id: string; name: string | null; real_name: string | null; display_name: string | null; is_bot: boolean };
  /** The DM channel with them (D…), when the install may open DMs. */
  dm_channel_id: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function findSlackUserByEmail(deps: TokenDeps, projectId: string, connectionId: string, email: string | undefined): Promise<FoundSlackUser> {
  const connection = await getConnection(deps.db, projectId, connectionId);
  if (!email || !EMAIL.test(email) || email.length > 254) {
    throw new SwitchboardError('validation_failed', 'email must be an email address, e.g. ?email=alice@example.com', { field: 'email' });
  }
  if (connection.status === 'disconnected') {
    throw new SwitchboardError('connection_disconnected', `Connection ${connectionId} is disconnected: reconnect Slack to look people up`, { connection_id: connectionId });
  }
  let found;
  try {
    found = await callSlackAsConnection(deps, connectionId, (client) => client.users.lookupByEmail({ email }));
  } catch (error) {
    // Slack answers users_not_found when no one in the workspace has that address [REF users.lookupByEmail].
    if ((error as SwitchboardError).details?.slack_error === 'users_not_found') {
      throw new SwitchboardError('slack_user_not_found', `No one in this Slack workspace has the email ${email}`, { email });
    }
    throw error;
  }
  const u = found.user ?? {};
  if (!u.id) throw new SwitchboardError('slack_error', 'Slack answered users.lookupByEmail without a user id');
  let dmChannelId: string | null = null;
  if (connection.scopes.includes('im:write')) {
    const opened = await callSlackAsConnection(deps, connectionId, (client) => client.conversations.open({ users: u.id! }));
    dmChannelId = opened.channel?.id ?? null;
  }
  return {
    user: { id: u.id, name: u.name ?? null, real_name: u.real_name ?? null, display_name: u.profile?.display_name || null, is_bot: Boolean(u.is_bot) },
    dm_channel_id: dmChannelId,
  };
}
