/**
 * Every Web API method the emulator answers, by Slack's name. Anything else answers
 * `unknown_method`, as Slack does.
 */
import { appsConnectionsOpen } from './methods/apps-connections-open.ts';
import { authRevoke, authTest } from './methods/auth-methods.ts';
import { chatDelete, chatGetPermalink, chatUpdate } from './methods/chat-edit-methods.ts';
import { chatPostEphemeral } from './methods/chat-ephemeral.ts';
import { chatPostMessage } from './methods/chat-post-message.ts';
import { chatDeleteScheduledMessage, chatScheduledMessagesList, chatScheduleMessage } from './methods/chat-schedule-methods.ts';
import { conversationsInfo, conversationsJoin, conversationsList, conversationsOpen } from './methods/conversations-methods.ts';
import { oauthV2Access } from './methods/oauth-v2-access.ts';
import { usersInfo, usersLookupByEmail } from './methods/users-methods.ts';
import { viewsOpen, viewsPush, viewsUpdate } from './methods/views-methods.ts';
import type { WebApiMethod } from './web-api-method.ts';

export const WEB_API_METHODS: Readonly<Record<string, WebApiMethod>> = {
  'auth.test': authTest,
  'auth.revoke': authRevoke,
  'chat.postMessage': chatPostMessage,
  'chat.update': chatUpdate,
  'chat.delete': chatDelete,
  'chat.postEphemeral': chatPostEphemeral,
  'chat.scheduleMessage': chatScheduleMessage,
  'chat.deleteScheduledMessage': chatDeleteScheduledMessage,
  'chat.scheduledMessages.list': chatScheduledMessagesList,
  'chat.getPermalink': chatGetPermalink,
  'conversations.list': conversationsList,
  'conversations.info': conversationsInfo,
  'conversations.join': conversationsJoin,
  'conversations.open': conversationsOpen,
  'users.info': usersInfo,
  'users.lookupByEmail': usersLookupByEmail,
  'oauth.v2.access': oauthV2Access,
  'views.open': viewsOpen,
  'views.update': viewsUpdate,
  'views.push': viewsPush,
  'apps.connections.open': appsConnectionsOpen,
};
