/**
 * Checks that a rendered message shows people no leftover markup where data was missing: no literal
 * `**`, no empty code span, no `· ·`, no bold label over nothing, no empty text.
 */
import { expect } from 'vitest';

export interface ReadableMessage {
  text: string;
  blocks?: unknown[];
}

/** Every text a person would read in the message (fallback text, block texts, field texts). */
export function readableTexts(message: ReadableMessage): string[] {
  const out = [message.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.text === 'string') out.push(record.text);
    for (const value of Object.values(record)) if (typeof value === 'object') walk(value);
  };
  walk(message.blocks ?? []);
  return out;
}

/** `labelWithNothing`: also refuse a text ending in "Label:" with nothing after it. */
export function expectNoMarkupResidue(message: ReadableMessage, options: { labelWithNothing?: boolean } = {}): void {
  for (const text of readableTexts(message)) {
    expect(text, text).not.toContain('**');
    expect(text, text).not.toContain('``');
    expect(text, text).not.toContain('· ·');
    expect(text, text).not.toMatch(/^\*[^*\n]+\*\n?$/); // a bold label over nothing
    if (options.labelWithNothing) expect(text, text).not.toMatch(/:\s*$/); // "Resolved:" with nothing after it
    expect(text.trim(), JSON.stringify(message)).not.toBe('');
  }
}
