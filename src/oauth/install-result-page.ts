/**
 * The page the installer's browser lands on after Slack: "Slack is connected", or what went wrong
 * and what to do, in plain words. Self-contained HTML (no scripts, no external assets), every
 * value escaped.
 */
import type { CompletedInstall } from './complete-install.ts';
import type { InstallError } from './oauth-errors.ts';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

const STYLE = `body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f6f6f4;color:#1d1c1d}
main{max-width:560px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15);padding:32px}
h1{font-size:22px;margin:0 0 12px}p{line-height:1.5}.ok{color:#007a5a}.problem{color:#e01e5a}small{color:#616061}code{font-size:13px}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function installSucceededPage(done: CompletedInstall): string {
  const team = done.connection.team_name ?? done.connection.team_id;
  const webhook = done.webhookDestination
    ? `<p>Messages will also go to <strong>${escapeHtml(done.webhookDestination.name.replace(/^Slack webhook to /, ''))}</strong>, the channel chosen in Slack.</p>`
    : done.webhookProblem
      ? `<p class="problem">The channel chosen in Slack could not be added: ${escapeHtml(done.webhookProblem)}</p>`
      : '';
  return page(
    'Slack is connected',
    `<h1 class="ok">Slack is connected</h1><p>The workspace <strong>${escapeHtml(team)}</strong> is connected. You can pick channels for notifications in the app now.</p>${webhook}<p><small>You can close this window. Connection <code>${escapeHtml(done.connection.id)}</code></small></p>`,
  );
}

export function installFailedPage(error: InstallError): string {
  return page(error.title, `<h1 class="problem">${escapeHtml(error.title)}</h1><p>${escapeHtml(error.message)}</p><p><small>Reason: <code>${escapeHtml(error.problem)}</code></small></p>`);
}

/** For anything unexpected: no details, they are in the server's log. */
export function installCrashedPage(): string {
  return page('Slack was not connected', '<h1 class="problem">Slack was not connected</h1><p>Something went wrong on our side while finishing the installation; it was logged. Start the installation again from the app.</p>');
}
