/**
 * apps.connections.open [REF][D-SM]: with an app-level token (xapp-, scope connections:write) in the
 * Authorization header ("passing it as a POST parameter will result in an error"), answers the
 * WebSocket URL to connect to.
 */
import { MethodAuth, type WebApiMethod } from '../web-api-method.ts';

export const appsConnectionsOpen: WebApiMethod = {
  auth: MethodAuth.appToken,
  scopes: ['connections:write'],
  tokenKinds: ['app'],
  handler(ctx) {
    return { url: ctx.socketMode.openUrl(ctx.origin, ctx.grant.app.id) };
  },
};
