/**
 * People and bots as users.info / users.lookupByEmail return them. The email is only included
 * when the token has users:read.email, as in Slack.
 */
import type { User } from '../state/model.ts';

const AVATAR = (size: number) => `https://avatars.emulator.invalid/user_${size}.png`;

export function userJson(user: User, includeEmail: boolean): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    title: '',
    phone: '',
    skype: '',
    real_name: user.realName,
    real_name_normalized: user.realName,
    display_name: user.displayName,
    display_name_normalized: user.displayName,
    fields: null,
    status_text: '',
    status_emoji: '',
    status_expiration: 0,
    avatar_hash: 'g0000000000a',
    first_name: user.realName.split(' ')[0] ?? '',
    last_name: user.realName.split(' ').slice(1).join(' '),
    image_24: AVATAR(24),
    image_32: AVATAR(32),
    image_48: AVATAR(48),
    image_72: AVATAR(72),
    image_192: AVATAR(192),
    image_512: AVATAR(512),
    team: user.teamId,
  };
  if (includeEmail && user.email && !user.isBot) profile.email = user.email;
  if (user.isBot) {
    profile.bot_id = user.botId;
    profile.api_app_id = user.appId;
    profile.always_active = false;
  }
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.realName,
    tz: user.tz,
    tz_label: user.tz,
    tz_offset: 0,
    profile,
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: user.updated,
  };
}
