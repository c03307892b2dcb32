/**
 * users.info (users:read) and users.lookupByEmail (users:read.email) [REF]. Emails appear in user
 * objects only for tokens with users:read.email.
 */
import { callerWorkspace } from '../resolve-channel.ts';
import { SlackApiError } from '../slack-api-error.ts';
import { userJson } from '../user-json.ts';
import { MethodAuth, type WebApiMethod } from '../web-api-method.ts';

export const usersInfo: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['users:read'],
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const ref = ctx.args.string('user');
    const user = ref ? ws.users.get(ref) : undefined;
    if (!user) throw new SlackApiError('user_not_found');
    return { user: userJson(user, ctx.grant.scopes.has('users:read.email')) };
  },
};

export const usersLookupByEmail: WebApiMethod = {
  auth: MethodAuth.token,
  scopes: ['users:read.email'],
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const email = ctx.args.string('email')?.toLowerCase();
    const user = email ? [...ws.users.values()].find((u) => !u.isBot && u.email?.toLowerCase() === email) : undefined;
    if (!user) throw new SlackApiError('users_not_found');
    return { user: userJson(user, true) };
  },
};
