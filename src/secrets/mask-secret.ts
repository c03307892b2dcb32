/**
 * The only form in which a secret is ever shown (API responses, dashboard, logs): enough to tell
 * secrets apart — the kind of token or the webhook's host and workspace — plus the last 4 characters.
 *
 *   xoxb-…a1b2   xoxe.xoxb-…a1b2   xoxe-1-…a1b2   sb_live_…a1b2
 *   https://hooks.slack.com/services/T…/B…/…a1b2
 *   anything else …a1b2, and values shorter than 8 characters just …
 *
 * A URL's user name and password (`https://user:password@…`) are dropped first, whatever the URL.
 */

/** Prefixes that say what a secret is without revealing any of it. */
const KNOWN_PREFIX = /^(?:xoxe\.xox[a-z]-|xoxe-\d+-|xox[a-z]-|xapp-|sb_(?:live|admin)_)/;
/**
 * A Slack webhook or response URL, on Slack or on the local emulator (any host): keep the origin
 * and the kind of hook; the path segments after it are secret.
 */
const HOOK_URL = /^((?:https?:\/\/)?[^/?#\s]*)\/(services|workflows|commands|triggers)\/([^?#]*)/;
/** The user name and password of a URL (`https://user:password@host`): secret, never shown. */
const USERINFO = /^((?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/)?[^/?#\s@]*@/;
const SHORT = 8;
const ELLIPSIS = '…';

export function maskSecret(secret: string): string {
  const value = secret.includes('@') ? secret.replace(USERINFO, '$1') : secret;
  const prefix = KNOWN_PREFIX.exec(value)?.[0];
  if (prefix) return prefix + tail(value.slice(prefix.length));
  const hook = HOOK_URL.exec(value);
  if (hook) return maskHookUrl(hook[1], hook[2], hook[3]);
  return tail(value);
}

const MASKED_TOKEN = /^(?:xoxe\.xox[a-z]-|xoxe-\d+-|xox[a-z]-|xapp-|sb_(?:live|admin)_)?…[^…\s]{0,4}$/;
const MASKED_HOOK = /^(?:https?:\/\/)?[^/?#\s@]*\/(?:services|workflows|commands|triggers)(?:\/[A-Z]?…)*\/…[^…/\s]{0,4}$/;

/** True when the value is already in the form maskSecret produces, so masking it again would only blur it. */
export function isMaskedSecret(value: string): boolean {
  return MASKED_TOKEN.test(value) || MASKED_HOOK.test(value);
}

function maskHookUrl(origin: string, kind: string, path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return `${origin}/${kind}/${ELLIPSIS}`;
  const last = segments.pop() as string;
  // Workspace (T…), bot/app (B…/A…) ids keep their type letter: it tells an admin which id it is.
  const masked = segments.map((segment) => (/^[A-Z]/.test(segment) ? `${segment[0]}${ELLIPSIS}` : ELLIPSIS));
  // A last part already masked (a hint masked again, e.g. to drop a user name) keeps its 4 characters.
  const shown = /^…[^…]{0,4}$/.test(last) ? last : tail(last);
  return `${origin}/${kind}/${[...masked, shown].join('/')}`;
}

function tail(secret: string): string {
  return secret.length < SHORT ? ELLIPSIS : `${ELLIPSIS}${secret.slice(-4)}`;
}
