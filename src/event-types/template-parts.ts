/**
 * Small builders for the Block Kit templates of the built-in packs, so each pack reads as the
 * message it sends. They return plain template JSON (Liquid in string leaves, $if directives);
 * nothing here is needed to write a custom template.
 */

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

export function header(text: string): object {
  return { type: 'header', text: plain(text) };
}

export function section(text: string, fields?: unknown[]): object {
  return fields ? { type: 'section', text: mrkdwn(text), fields } : { type: 'section', text: mrkdwn(text) };
}

export function fieldsSection(fields: unknown[]): object {
  return { type: 'section', fields };
}

/** A "*Label*\nvalue" field; with `when`, shown only when that data path is set. */
export function field(label: string, value: string, when?: string): unknown {
  const item = mrkdwn(`*${label}*\n${value}`);
  return when ? { $if: when, then: item } : item;
}

export function context(...texts: string[]): object {
  return { type: 'context', elements: texts.map(mrkdwn) };
}

/** A URL button shown only when `urlPath` (e.g. data.runbook_url) is set; the fitting drops an empty actions block. */
export function linkButton(label: string, urlPath: string, style?: 'primary' | 'danger'): unknown {
  const button = { type: 'button', text: plain(label), url: `{{ ${urlPath} }}`, ...(style ? { style } : {}) };
  return { $if: urlPath, then: button };
}

export function actions(...elements: unknown[]): object {
  return { type: 'actions', elements };
}

/** Renders a user id as a mention when there is one, else the name (else `fallback`). */
export function person(idPath: string, namePath: string, fallback = ''): string {
  const name = fallback ? `{{ ${namePath} | default: ${JSON.stringify(fallback)} }}` : `{{ ${namePath} }}`;
  return `{% if ${idPath} %}{{ ${idPath} | user_mention }}{% else %}${name}{% endif %}`;
}

/**
 * `before{{ path }}after` only when the value is set, so missing data never leaves markup behind
 * (`**`, an empty code span): `opt('data.action', '*', '*')`.
 */
export function opt(path: string, before = '', after = ''): string {
  return `{% if ${path} %}${before}{{ ${path} }}${after}{% endif %}`;
}

/** Blocks of the full card: shown for an event on its own or a subject's first event, not in a thread reply. */
export function card(...blocks: object[]): unknown[] {
  return blocks.map((block) => ({ $if: '!root', then: block }));
}

/** The one line a later event about a subject replies with in its root's thread (the root shows the rest). */
export function reply(text: string): unknown {
  return { $if: 'root', then: { type: 'section', text: mrkdwn(text) } };
}

/** A fallback text: `one line` for a reply under a subject's root, `alone` otherwise. */
export function replyText(line: string, alone: string): string {
  return `{% if root %}${line}{% else %}${alone}{% endif %}`;
}
