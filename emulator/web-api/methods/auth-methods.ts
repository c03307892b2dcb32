/**
 * auth.test and auth.revoke [REF][SPEC]. auth.test tells a token who it is; rotating tokens also
 * learn their remaining `expires_in`. auth.revoke revokes the calling token (`test=1` only checks).
 */
import { revokeToken } from '../../state/tokens.ts';
import { callerWorkspace } from '../resolve-channel.ts';
import { MethodAuth, type WebApiMethod } from '../web-api-method.ts';

export const authTest: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    const ws = callerWorkspace(ctx);
    const { token } = ctx.grant;
    const user = ws.users.get(token.userId as string);
    const out: Record<string, unknown> = {
      url: `${ctx.origin}/`,
      team: ws.name,
      user: user?.name ?? '',
      team_id: ws.id,
      user_id: token.userId,
    };
    if (token.kind === 'bot' && ctx.grant.installation) out.bot_id = ctx.grant.installation.botId;
    out.is_enterprise_install = false;
    if (token.expiresAt !== undefined) out.expires_in = Math.max(0, Math.floor((token.expiresAt - ctx.state.now()) / 1000));
    return out;
  },
};

export const authRevoke: WebApiMethod = {
  auth: MethodAuth.token,
  handler(ctx) {
    if (ctx.args.bool('test')) return { revoked: false };
    return { revoked: revokeToken(ctx.state, ctx.grant.token.value) };
  },
};
