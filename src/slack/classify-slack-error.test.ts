import { describe, expect, it } from 'vitest';
import { classifySlackError } from './classify-slack-error.ts';
import { BROKEN_DESTINATION_HINTS, WEBHOOK_HINTS } from './slack-error-hints.ts';
import { classifyWebhook4xx } from './webhook-transport.ts';

describe('classifying Slack errors', () => {
  it('token errors break the whole connection; channel errors one destination', () => {
    expect(classifySlackError('token_revoked')).toEqual({ kind: 'destination_broken', error: 'token_revoked', hint: BROKEN_DESTINATION_HINTS.token_revoked, scope: 'connection' });
    expect(classifySlackError('is_archived')).toMatchObject({ kind: 'destination_broken', scope: 'destination' });
  });

  it('content errors reject one message; transient ones retry; unknown ones retry a bounded number of times', () => {
    expect(classifySlackError('invalid_blocks')).toEqual({ kind: 'rejected', error: 'invalid_blocks' });
    expect(classifySlackError('internal_error')).toEqual({ kind: 'retry', error: 'internal_error' });
    expect(classifySlackError('never_seen_before')).toEqual({ kind: 'retry', error: 'never_seen_before', unknown: true });
  });

  it('a root that is gone is not worth retrying (send-delivery.ts posts a new one); an archived channel refuses updates too', () => {
    for (const error of ['message_not_found', 'cant_update_message', 'thread_not_found']) expect(classifySlackError(error)).toEqual({ kind: 'rejected', error });
    expect(classifySlackError('is_inactive')).toMatchObject({ kind: 'destination_broken', hint: BROKEN_DESTINATION_HINTS.is_inactive, scope: 'destination' });
  });

  it('the same string from a webhook: no connection to break, its own cure, user_not_found is about the message', () => {
    expect(classifySlackError('team_disabled', 'webhook')).toEqual({ kind: 'destination_broken', error: 'team_disabled', hint: WEBHOOK_HINTS.team_disabled, scope: 'destination' });
    expect(classifySlackError('channel_not_found', 'webhook')).toMatchObject({ hint: WEBHOOK_HINTS.channel_not_found });
    expect(classifySlackError('user_not_found', 'webhook')).toEqual({ kind: 'rejected', error: 'user_not_found' });
    expect(classifySlackError('user_not_found')).toMatchObject({ kind: 'destination_broken' });
  });

  it('a webhook 4xx: by its body first, then by its status', () => {
    expect(classifyWebhook4xx(404, 'no_service')).toMatchObject({ kind: 'destination_broken', error: 'no_service', hint: BROKEN_DESTINATION_HINTS.no_service });
    expect(classifyWebhook4xx(400, 'no_active_hooks')).toMatchObject({ kind: 'destination_broken', hint: WEBHOOK_HINTS.no_active_hooks });
    // Bodies Slack never documented, or an HTML page: the status decides.
    expect(classifyWebhook4xx(404, '<html>Not Found</html>')).toMatchObject({ kind: 'destination_broken', error: 'http_404', hint: WEBHOOK_HINTS.webhook_not_found });
    expect(classifyWebhook4xx(403, 'something_new')).toMatchObject({ kind: 'destination_broken', error: 'something_new', hint: WEBHOOK_HINTS.webhook_forbidden });
    expect(classifyWebhook4xx(410, '')).toMatchObject({ kind: 'destination_broken', hint: WEBHOOK_HINTS.webhook_gone });
    expect(classifyWebhook4xx(400, 'something_new')).toEqual({ kind: 'rejected', error: 'something_new' });
    expect(classifyWebhook4xx(413, '')).toEqual({ kind: 'rejected', error: 'http_413' });
    expect(classifyWebhook4xx(408, '')).toEqual({ kind: 'retry', error: 'http_408' });
  });
});
