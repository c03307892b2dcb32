/**
 * HTML escaping for the emulator page. Every string that came from a Slack payload goes through
 * here before it reaches markup, so `<script>` in a message is shown, never run.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Only http(s) and mailto links become clickable; anything else (javascript:, data:) stays text. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^(https?:\/\/|mailto:)/i.test(value.trim()) ? value.trim() : undefined;
}
