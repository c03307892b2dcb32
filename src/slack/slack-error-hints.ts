/**
 * Slack's answers that mean a destination cannot take messages until a person fixes something,
 * each with a hint in plain words, and which of them break the whole connection (the bot token)
 * rather than one destination. Codes from slack-platform.md §2 (webhooks) and the method docs.
 */
export const BROKEN_DESTINATION_HINTS: Record<string, string> = {
  // Web API, the token (the whole connection)
  not_authed: 'Slack received no token. Reconnect the Slack workspace.',
  invalid_auth: 'Slack does not recognise the bot token: the app may have been reinstalled or removed. Reconnect the Slack workspace.',
  token_revoked: 'The bot token was revoked (the app was removed or its access taken away). Reconnect the Slack workspace.',
  token_expired: 'The bot token expired and could not be refreshed. Reconnect the Slack workspace.',
  account_inactive: 'The app was uninstalled or the bot user deactivated. Reinstall the app and reconnect the workspace.',
  team_disabled: 'The Slack workspace was disabled.',
  no_permission: 'The app lacks permission in this workspace. Ask a Slack admin to review the app.',
  // Web API, the channel or user (this destination)
  channel_not_found: 'Slack cannot find the channel: it was deleted, or it is private and the bot was never invited. Pick the channel again, or invite the bot with /invite.',
  is_archived: 'The channel is archived. Unarchive it in Slack or pick another channel.',
  is_inactive: 'The channel is archived, so its messages cannot be updated. Unarchive it in Slack or pick another channel.', // chat.update [D-UPD]
  not_in_channel: 'The bot is not a member of the channel. Invite it with /invite @your-app, or grant the channels:join scope.',
  missing_scope: 'The app is missing a permission this destination needs. Add the scope to the app and reinstall it.',
  restricted_action: 'A workspace setting stops the app posting here. Ask a Slack admin, or pick another channel.',
  user_not_found: 'Slack cannot find that user. Check the user id or email.',
  users_not_found: 'No Slack user has that email address. Check the email, or use the user id.',
  cannot_dm_bot: 'That user is a bot, and apps cannot send it direct messages.',
  // Incoming webhooks
  no_service: 'The webhook was removed or the app uninstalled: create a new webhook URL in Slack and paste it here.',
  invalid_token: 'Slack no longer accepts this webhook URL: create a new one in Slack and paste it here.',
  no_team: 'The workspace of this webhook no longer exists or the app was removed: create a new webhook URL.',
  channel_is_archived: "The webhook's channel is archived. Unarchive it, or create a webhook for another channel.",
  action_prohibited: 'A Slack admin restricted posting through this webhook. Ask them, or create a webhook for another channel.',
  posting_to_general_channel_denied: 'Only some members may post to #general and this webhook is not one of them. Create a webhook for another channel.',
  webhook_redirected: 'The URL answered with a redirect, so it is not a working incoming-webhook URL. Copy the Webhook URL from Slack again.',
};

/**
 * Where an incoming webhook gives the same error as the Web API but the cure differs (a webhook
 * is tied to one channel and one URL: the fix is a new URL), or gives errors only webhooks have.
 * Strings and statuses from slack-platform.md §2 [D-WH][CL-2016].
 */
export const WEBHOOK_HINTS: Record<string, string> = {
  channel_not_found: "The webhook's channel was deleted. Create a new webhook URL for another channel in Slack and paste it here.",
  no_service_id: 'The webhook URL is incomplete or mistyped: copy the Webhook URL from Slack again.',
  no_active_hooks: 'The incoming webhook is disabled in the app settings. Enable incoming webhooks, or create a new webhook URL.',
  team_disabled: "The webhook's Slack workspace was disabled.",
  webhook_not_found: 'The webhook URL answered "not found": it is mistyped or was removed. Copy the Webhook URL from Slack again.',
  webhook_forbidden: 'The webhook URL was refused: it was revoked or is mistyped. Create a new webhook URL in Slack and paste it here.',
  webhook_gone: 'The webhook URL no longer exists. Create a new webhook URL in Slack and paste it here.',
  webhook_url_has_credentials:
    'The stored webhook URL contains a user name or password (user:password@), which cannot be sent and which Slack’s webhook URLs never have. Paste the Webhook URL again exactly as Slack shows it.',
};

/** Webhook answers about the message (the next one may go), besides REJECTED_MESSAGE_ERRORS. */
export const WEBHOOK_REJECTED_ERRORS = new Set(['user_not_found', 'invalid_payload', 'no_text', 'too_many_attachments', 'invalid_blocks']);

/** Errors about the token itself: every destination using the connection is affected. */
export const CONNECTION_ERRORS = new Set(['not_authed', 'invalid_auth', 'token_revoked', 'token_expired', 'account_inactive', 'team_disabled']);

/** Slack refused the message itself: the next one may go. */
export const REJECTED_MESSAGE_ERRORS = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_attachments',
  'invalid_payload',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'metadata_must_be_sent_from_app',
  'thread_reply_not_available',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_array_arg',
  'invalid_json',
  'json_not_object',
  'invalid_form_data',
]);

/**
 * Answers meaning the subject's root message in a destination is gone or no longer ours: deleted
 * in Slack (chat.update: message_not_found), or posted by another app or token
 * (cant_update_message); thread_not_found is how Slack names a thread that is gone. Not about the
 * destination nor this message's content: the delivery posts a new root instead (send-delivery.ts).
 */
export const ROOT_GONE_ERRORS = new Set(['message_not_found', 'cant_update_message', 'thread_not_found']);

/**
 * What the delivery of a message that replaced a gone root says, by what showed it was gone:
 * one of ROOT_GONE_ERRORS, or REPLY_POSTED_IN_CHANNEL (Slack answers a reply to a deleted root
 * with ok and posts it in the channel instead of a thread).
 */
export const REPLY_POSTED_IN_CHANNEL = 'reply_posted_in_channel';
export const ROOT_GONE_HINTS: Record<string, string> = {
  message_not_found:
    "The subject's root message was deleted in Slack, so it could not be updated: this message was posted as the subject's new root, and later messages about the subject go under it.",
  cant_update_message:
    "The subject's root message was posted by another app or token and cannot be updated: this message was posted as the subject's new root, and later messages about the subject go under it.",
  thread_not_found:
    "The subject's root message was deleted in Slack, so there was no thread to reply in: this message was posted as the subject's new root, and later messages about the subject go under it.",
  [REPLY_POSTED_IN_CHANNEL]:
    "The subject's root message was deleted in Slack, which posted this reply in the channel instead of its thread: it is now the subject's new root, and later messages about the subject go under it.",
};

/** Slack-side trouble worth waiting out. */
export const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'rollup_error', 'ratelimited', 'rate_limited']);
