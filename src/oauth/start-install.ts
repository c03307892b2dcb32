/**
 * The first step of "Connect Slack": the address of Slack's authorize page for one project, with
 * the bot scopes of the enabled features, our callback as redirect_uri and a fresh single-use
 * state [D-OAUTH]. A project's admin asks for it (POST /v1/connections/install) and sends the person
 * who approves the install there; `team` pins the workspace when they are signed in to several.
 */
import { requireSlackApp } from '../slack/slack-app.ts';
import { botScopesFor } from '../slack/slack-features.ts';
import { issueInstallState } from './install-state.ts';
import { redirectUrlFor, type OAuthDeps } from './oauth-deps.ts';

export interface InstallLink {
  url: string;
  expiresAt: Date;
  scopes: string[];
}

export async function startInstall(deps: OAuthDeps, projectId: string, options: { teamId?: string } = {}): Promise<InstallLink> {
  const app = requireSlackApp(deps.config);
  const redirectUri = redirectUrlFor(deps.config.publicUrl);
  const { state, expiresAt } = await issueInstallState(deps.db, { clientSecret: app.clientSecret, nowMs: deps.clock.now(), projectId, redirectUri });
  const scopes = botScopesFor(deps.config.slackApp.features);
  const url = new URL(deps.config.slackApp.authorizeUrl);
  // Slack takes bot scopes comma-separated [D-OAUTH]; no user scopes: the gateway acts as the app only.
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('scope', scopes.join(','));
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  if (options.teamId) url.searchParams.set('team', options.teamId);
  return { url: url.toString(), expiresAt, scopes };
}
