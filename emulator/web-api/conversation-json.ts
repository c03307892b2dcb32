/**
 * Conversations as the Web API returns them. Channel objects carry the fields of the channel
 * variant of the OpenAPI spec's objs_conversation (which forbids extra fields); IMs carry the IM
 * variant's (`id, created, is_im, is_org_shared, user, priority`).
 */
import type { Channel } from '../state/model.ts';

export function conversationJson(channel: Channel, viewerUserId?: string): Record<string, unknown> {
  if (channel.kind === 'im') {
    return {
      id: channel.id,
      created: channel.created,
      is_archived: channel.isArchived,
      is_im: true,
      is_org_shared: false,
      user: channel.imUserId,
      is_user_deleted: false,
      priority: 0,
    };
  }
  const isPrivate = channel.kind !== 'public';
  return {
    id: channel.id,
    name: channel.name,
    is_channel: channel.kind === 'public' || channel.kind === 'private',
    is_group: false,
    is_im: false,
    is_mpim: channel.kind === 'mpim',
    is_private: isPrivate,
    created: channel.created,
    is_archived: channel.isArchived,
    is_general: channel.isGeneral,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    parent_conversation: null,
    creator: channel.creator,
    is_ext_shared: false,
    shared_team_ids: [channel.teamId],
    pending_connected_team_ids: [],
    ...(viewerUserId !== undefined ? { is_member: channel.members.has(viewerUserId) } : {}),
    topic: { value: channel.topic, creator: channel.topic ? channel.creator : '', last_set: channel.topic ? channel.created : 0 },
    purpose: { value: channel.purpose, creator: channel.purpose ? channel.creator : '', last_set: channel.purpose ? channel.created : 0 },
    previous_names: [],
    num_members: channel.members.size,
  };
}
