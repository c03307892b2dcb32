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

/** Renders a user id as a mention when there is one, else the name: `{{ person }}` in one expression. */
export function person(idPath: string, namePath: string): string {
  return `{% if ${idPath} %}{{ ${idPath} | user_mention }}{% else %}{{ ${namePath} }}{% endif %}`;
}
