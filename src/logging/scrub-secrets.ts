/**
 * Removes anything shaped like a credential from free text (log lines, error messages, stored
 * request/response excerpts), replacing it with its masked form so a reader can still tell which
 * token or webhook was involved. One precompiled regular expression, one pass over the text.
 *
 * Slack "actively searches out and revokes leaked secrets" [D-WH]: a token or webhook URL that
 * reaches a log is as good as lost, so this runs on every log line, not only on known fields.
 */
import { isMaskedSecret, maskSecret } from '../secrets/mask-secret.ts';

/** Every Switchboard API key starts with this; the kind follows (`sb_live_…`, `sb_admin_…`). */
export const API_KEY_PREFIX = 'sb_';
export const API_KEY_KIND_PREFIXES = { project: 'sb_live_', admin: 'sb_admin_' } as const;

// Secret characters include '…' so that an already-masked value is matched whole (and then kept as
// it is) and a truncated secret ("xoxb-12ab…") is masked whole, never split into a masked part and
// a readable rest.
const BODY = '[A-Za-z0-9_…-]';
const SEP = '(?:/|%2[Ff])';
const SECRET_SHAPES = [
  // Slack tokens [D-ROT][D-SM]: rotating access tokens first, so `xoxe.xoxb-…` is matched whole.
  String.raw`xoxe\.xox[a-z]-${BODY}+`,
  String.raw`xox[abposre]-${BODY}+`,
  String.raw`xapp-${BODY}+`,
  // Switchboard API keys.
  String.raw`sb_(?:live|admin)_[A-Za-z0-9…]+`,
  // Slack hook URLs (incoming webhooks, workflow triggers, slash-command and modal response URLs),
  // also when form-encoded as in a slash command's raw body (response_url=https%3A%2F%2Fhooks...).
  String.raw`(?:https?(?::|%3[Aa])(?://|%2[Ff]%2[Ff]))?hooks\.slack(?:-gov)?\.com${SEP}(?:services|workflows|commands|triggers)(?:${SEP}${BODY}+)+`,
  // The same path on any host: the local emulator serves webhooks at /services/T…/B…/<secret>.
  String.raw`(?:https?://[^\s/"'\\<>]+)?/services/T${BODY}*/B${BODY}*/${BODY}+`,
  // Credentials in Authorization header values, whatever their shape.
  String.raw`[Bb]earer\s+[A-Za-z0-9._~+/=…-]{8,}`,
  String.raw`[Bb]asic\s+[A-Za-z0-9+/=…]{16,}`,
  // A user name and password in a URL (`https://user:password@host`); tried last, so a hook URL
  // that carries them is matched whole above (and masked without them). Named schemes only: an
  // open-ended one would rescan every long run of letters (quadratic on a large log line).
  String.raw`(?:https?|wss?|s?ftp|postgres(?:ql)?|mysql|rediss?|amqps?|mongodb(?:\+srv)?)://[^\s/?#@"'\\<>]+@`,
] as const;

const SECRET_PATTERN = new RegExp(SECRET_SHAPES.join('|'), 'g');
const AUTH_SCHEME = /^([Bb]earer|[Bb]asic)(\s+)([\s\S]*)$/;
const URL_USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^@]*@$/;

export function scrubSecrets(text: string): string {
  return text.replace(SECRET_PATTERN, maskMatch);
}

function maskMatch(match: string): string {
  const scheme = AUTH_SCHEME.exec(match);
  if (scheme) return scheme[1] + scheme[2] + maskOnce(scheme[3]);
  const userinfo = URL_USERINFO.exec(match);
  if (userinfo) return `${userinfo[1]}…@`;
  if (!match.includes('%')) return maskOnce(match);
  // Form-encoded URL: mask the decoded URL, then encode it back so the line keeps one encoding.
  const decoded = match.replace(/%2[Ff]/g, '/').replace(/%3[Aa]/g, ':');
  return maskOnce(decoded).replace(/:/g, '%3A').replace(/\//g, '%2F');
}

function maskOnce(secret: string): string {
  return isMaskedSecret(secret) ? secret : maskSecret(secret);
}
