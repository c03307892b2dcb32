/**
 * Text PostgreSQL cannot store: U+0000 (refused in text and jsonb) and unpaired UTF-16 surrogates
 * (refused in jsonb). One definition for the edge that refuses such input (src/http/storable-input.ts)
 * and for rendering, which replaces what filters produced (src/templates/render-tree.ts).
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** What makes `text` unstorable, or null when it can be stored. */
export function unstorableIn(text: string): 'nul' | 'surrogate' | null {
  if (text.includes('\u0000')) return 'nul';
  return UNSTORABLE.test(text) ? 'surrogate' : null;
}

/** `text` with every unstorable character replaced by U+FFFD, as a decoder would. */
export function replaceUnstorable(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\uFFFD') : text;
}
