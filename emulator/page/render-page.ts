/**
 * The whole emulator page, server-side: a banner saying this is the local emulator (not Slack), an
 * aubergine sidebar listing workspaces with their channels and direct messages, and the selected
 * channel's messages in the main pane. A small inline script listens for changes (Server-Sent
 * Events) and swaps in a freshly rendered sidebar and pane, so the page stays live.
 */
import { escapeHtml } from './escape-html.ts';
import { PAGE_STYLES } from './page-styles.ts';
import type { PageChannel, PageMessage, PageWorkspace } from './page-source.ts';
import { compareTs, renderMessage, type MessageContext } from './render-message.ts';

export interface PageSelection {
  team?: string;
  channel?: string;
}

export interface RenderedPage {
  status: 200 | 404;
  html: string;
}

/** Where the live-refresh script listens; registerPage serves it. */
export const PAGE_EVENTS_PATH = '/_page/events';

function channelIcon(channel: PageChannel): string {
  if (channel.isIm) return '●';
  return channel.isPrivate ? '🔒' : '#';
}

function channelTitle(channel: PageChannel): string {
  return channel.isIm ? channel.name : `${channelIcon(channel)} ${channel.name}`;
}

function href(teamId: string, channelId: string): string {
  return `?team=${encodeURIComponent(teamId)}&channel=${encodeURIComponent(channelId)}`;
}

const byName = (a: PageChannel, b: PageChannel) => a.name.localeCompare(b.name);

function sidebar(workspaces: PageWorkspace[], selected: { team: string; channel: string } | undefined): string {
  if (workspaces.length === 0) return '<nav class="sidebar" id="sidebar"><div class="sidebar-label">No workspaces yet</div></nav>';
  const sections = workspaces.map((ws) => {
    const link = (ch: PageChannel) => {
      const active = selected?.team === ws.teamId && selected.channel === ch.id ? ' active' : '';
      const archived = ch.isArchived ? ' archived' : '';
      const tag = ch.isArchived ? '<span class="tag">archived</span>' : '';
      return `<a class="channel-link${active}${archived}" href="${escapeHtml(href(ws.teamId, ch.id))}" data-channel="${escapeHtml(ch.id)}"><span class="channel-icon">${channelIcon(ch)}</span><span class="channel-name">${escapeHtml(ch.name)}</span>${tag}</a>`;
    };
    const channels = ws.channels.filter((c) => !c.isIm).sort(byName);
    const ims = ws.channels.filter((c) => c.isIm).sort(byName);
    return `<div class="workspace" data-team="${escapeHtml(ws.teamId)}">
<div class="workspace-head"><div class="workspace-name">${escapeHtml(ws.name)}</div><div class="workspace-domain">${escapeHtml(ws.domain)} · ${escapeHtml(ws.teamId)}</div></div>
<div class="sidebar-label">Channels</div>${channels.map(link).join('') || '<div class="sidebar-label">none</div>'}
${ims.length ? `<div class="sidebar-label">Direct messages</div>${ims.map(link).join('')}` : ''}
</div>`;
  });
  return `<nav class="sidebar" id="sidebar" aria-label="Workspaces and channels">${sections.join('')}</nav>`;
}

/**
 * The channel's timeline, by ts: top-level messages plus replies broadcast to the channel. A
 * broadcast reply may come as a top-level message flagged `broadcast`, in its parent's replies,
 * or both; either way it shows once in the channel, as "replied to a thread: …".
 */
function timeline(channel: PageChannel, ctx: MessageContext): string {
  const parentOf = new Map<string, PageMessage>();
  for (const message of channel.messages) for (const reply of message.replies) if (reply.broadcast) parentOf.set(reply.ts, message);
  const entries: { ts: string; html: () => string }[] = [];
  const topLevel = new Set(channel.messages.map((m) => m.ts));
  for (const message of channel.messages) {
    const parent = message.broadcast ? parentOf.get(message.ts) : undefined;
    entries.push({ ts: message.ts, html: () => renderMessage(message, ctx, parent ? { inThread: true, repliedTo: parent } : {}) });
  }
  for (const [ts, parent] of parentOf) {
    // reply_broadcast: Slack shows the reply in the channel too [D-POST]
    const reply = parent.replies.find((r) => r.ts === ts)!;
    if (!topLevel.has(ts)) entries.push({ ts, html: () => renderMessage(reply, ctx, { inThread: true, repliedTo: parent }) });
  }
  entries.sort((a, b) => compareTs(a.ts, b.ts));
  return entries.map((e) => e.html()).join('');
}

function pane(workspace: PageWorkspace | undefined, channel: PageChannel | undefined, ctx: MessageContext, notice?: string): string {
  if (!workspace || !channel) {
    const text = notice ?? 'No channels yet. Create a workspace and post a message through the emulator’s Web API, and it will appear here.';
    return `<main class="pane" id="pane"><div class="channel-header"><span class="channel-title">Local Slack emulator</span></div><div class="messages" id="messages"><div class="empty">${escapeHtml(text)}</div></div></main>`;
  }
  const count = channel.messages.length;
  const meta = `${escapeHtml(workspace.name)} · ${count} message${count === 1 ? '' : 's'}${channel.isArchived ? ' · archived' : ''}`;
  const header = `<div class="channel-header"><span class="channel-title">${escapeHtml(channelTitle(channel))}</span><span class="channel-meta">${meta}</span></div>`;
  const body = count ? timeline(channel, ctx) : '<div class="empty">No messages in this conversation yet.</div>';
  const archived = channel.isArchived ? `<div class="archived-notice">You are viewing <b>${escapeHtml(channelTitle(channel))}</b>, an archived channel.</div>` : '';
  return `<main class="pane" id="pane" data-team="${escapeHtml(workspace.teamId)}" data-channel="${escapeHtml(channel.id)}">${header}<div class="messages" id="messages" aria-label="Messages">${body}</div>${archived}</main>`;
}

/** Mention lookup: user and channel names from every workspace (ids are unique across them). */
function lookupFor(workspaces: PageWorkspace[]): MessageContext {
  const channels = new Map<string, string>();
  const users = new Map<string, string>();
  for (const ws of workspaces) {
    for (const ch of ws.channels) if (!ch.isIm) channels.set(ch.id, ch.name);
    for (const user of ws.users ?? []) users.set(user.id, user.name);
  }
  return { lookup: { channelName: (id) => channels.get(id), userName: (id) => users.get(id) } };
}

function pick(workspaces: PageWorkspace[], selection: PageSelection): { workspace?: PageWorkspace; channel?: PageChannel; notice?: string } {
  if (!selection.team && !selection.channel) {
    const workspace = workspaces[0];
    const channels = [...(workspace?.channels ?? [])].filter((c) => !c.isIm).sort(byName);
    return { workspace, channel: channels.find((c) => !c.isArchived) ?? channels[0] ?? workspace?.channels[0] };
  }
  const workspace = selection.team ? workspaces.find((w) => w.teamId === selection.team) : workspaces.find((w) => w.channels.some((c) => c.id === selection.channel));
  if (!workspace) return { notice: `No workspace ${selection.team ?? ''} holds channel ${selection.channel ?? ''} in this emulator.` };
  if (!selection.channel) return { workspace, channel: [...workspace.channels].sort(byName).find((c) => !c.isIm) ?? workspace.channels[0] };
  const channel = workspace.channels.find((c) => c.id === selection.channel);
  if (!channel) return { workspace, notice: `No channel ${selection.channel} in workspace ${workspace.teamId}.` };
  return { workspace, channel };
}

const LIVE_SCRIPT = `(() => {
  const live = document.getElementById('live');
  const list = () => document.getElementById('messages');
  const down = () => { const l = list(); if (l) l.scrollTop = l.scrollHeight; };
  const localTimes = () => {
    for (const t of document.querySelectorAll('time[datetime]')) {
      t.textContent = new Date(t.getAttribute('datetime')).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
    }
  };
  let busy = false, again = false;
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const res = await fetch(location.href, { headers: { accept: 'text/html' } });
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const l = list();
      const atBottom = !l || l.scrollHeight - l.scrollTop - l.clientHeight < 40;
      const scroll = l ? l.scrollTop : 0;
      for (const id of ['sidebar', 'pane']) {
        const next = doc.getElementById(id), current = document.getElementById(id);
        if (next && current) current.replaceWith(next);
      }
      document.title = doc.title;
      localTimes();
      if (atBottom) down(); else if (list()) list().scrollTop = scroll;
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
    } catch { /* the next change retries */ } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }
  localTimes();
  down();
  const events = new EventSource(${JSON.stringify(PAGE_EVENTS_PATH)});
  events.addEventListener('open', () => live.classList.add('on'));
  events.addEventListener('error', () => live.classList.remove('on'));
  events.addEventListener('change', refresh);
})();`;

export function renderPage(workspaces: PageWorkspace[], selection: PageSelection = {}): RenderedPage {
  const ctx = lookupFor(workspaces);
  const { workspace, channel, notice } = pick(workspaces, selection);
  const selected = workspace && channel ? { team: workspace.teamId, channel: channel.id } : undefined;
  const title = channel && workspace ? `${channelTitle(channel)} – ${workspace.name} – Local Slack emulator` : 'Local Slack emulator';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLES}</style>
</head>
<body>
<div class="emulator-banner" role="note"><strong>Emulator</strong><span>Local Slack emulator — this is not Slack. Messages here never leave this machine.</span><span class="live" id="live">live</span></div>
<div class="app">
${sidebar(workspaces, selected)}
${pane(workspace, channel, ctx, notice)}
</div>
<script>${LIVE_SCRIPT}</script>
</body>
</html>`;
  return { status: notice ? 404 : 200, html };
}

