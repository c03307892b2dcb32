/**
 * The OAuth consent page, server-rendered HTML with no external assets: which app asks, for which
 * workspace and person, which permissions (in plain words), the channel for an incoming webhook,
 * and Allow / Cancel buttons as forms. Styled after Slack's install screen.
 */
import type { App, Workspace } from '../state/model.ts';
import { describeScope } from './scope-descriptions.ts';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

const STYLE = `
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f4ede4;color:#1d1c1d}
header{background:#4a154b;color:#fff;padding:14px 24px;font-weight:700;font-size:18px}
main{max-width:560px;margin:32px auto;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15);padding:32px}
h1{font-size:24px;margin:0 0 8px}
p.sub{color:#616061;margin:0 0 24px}
label{display:block;font-weight:700;margin:16px 0 6px}
select{width:100%;padding:8px;border:1px solid #bbb;border-radius:4px;font-size:15px}
h2{font-size:16px;margin:24px 0 8px}
ul{padding-left:20px;margin:0}
li{margin:6px 0}
.actions{display:flex;gap:12px;justify-content:flex-end;margin-top:28px}
button{font-size:15px;font-weight:700;padding:9px 18px;border-radius:4px;cursor:pointer}
button.allow{background:#007a5a;color:#fff;border:1px solid #007a5a}
button.cancel{background:#fff;color:#1d1c1d;border:1px solid #bbb}
.error{color:#e01e5a}
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><header>Slack emulator</header><main>${body}</main></body></html>`;
}

export function errorPage(message: string): string {
  return page('Something went wrong', `<h1>Something went wrong</h1><p class="error">${escapeHtml(message)}</p>`);
}

export interface ConsentPageInput {
  app: App;
  workspaces: Workspace[];
  scopes: string[];
  userScopes: string[];
  /** Hidden fields echoed back on submit (client_id, scope, user_scope, redirect_uri, state). */
  hidden: Record<string, string>;
}

export function consentPage(input: ConsentPageInput): string {
  const { app, workspaces, scopes, userScopes } = input;
  const hidden = Object.entries(input.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const installAs = workspaces
    .flatMap((ws) =>
      [...ws.users.values()]
        .filter((u) => !u.isBot && !u.deleted)
        .map((u) => `<option value="${escapeHtml(`${ws.id}:${u.id}`)}">${escapeHtml(ws.name)} — ${escapeHtml(u.realName)} (@${escapeHtml(u.name)})</option>`),
    )
    .join('');
  const webhook = scopes.includes('incoming-webhook')
    ? `<label for="webhook_channel">Where should ${escapeHtml(app.name)} post?</label><select id="webhook_channel" name="webhook_channel">${workspaces
        .flatMap((ws) =>
          ws.channelOrder
            .filter((c) => !c.deleted && !c.isArchived && (c.kind === 'public' || c.kind === 'private'))
            .map((c) => `<option value="${escapeHtml(`${ws.id}:${c.id}`)}">#${escapeHtml(c.name)} (${escapeHtml(ws.name)})</option>`),
        )
        .join('')}</select>`
    : '';
  const list = (items: string[]) => `<ul>${items.map((s) => `<li>${escapeHtml(describeScope(s))} <code>${escapeHtml(s)}</code></li>`).join('')}</ul>`;
  const body = `
<h1>${escapeHtml(app.name)} is requesting permission to access a Slack workspace</h1>
<p class="sub">Choose where to install it and review what it will be able to do.</p>
<form method="post" action="/oauth/v2/authorize">
${hidden}
<label for="install_as">Workspace and your account</label>
<select id="install_as" name="install_as">${installAs}</select>
${scopes.length ? `<h2>What will ${escapeHtml(app.name)} be able to do?</h2>${list(scopes)}` : ''}
${userScopes.length ? `<h2>What will ${escapeHtml(app.name)} be able to do on your behalf?</h2>${list(userScopes)}` : ''}
${webhook}
<div class="actions">
<button class="cancel" type="submit" name="decision" value="deny">Cancel</button>
<button class="allow" type="submit" name="decision" value="allow">Allow</button>
</div>
</form>`;
  return page(`Install ${app.name}`, body);
}
