/*
 * The one Content-Security-Policy, for the desktop window and for serve mode alike (STYLE: decided once).
 * Scripts only from our own files; styles also inline, because Fluent's engine (Griffel) inserts <style> elements
 * at run time; connections only to our own origin (serve's API and event stream); no plugins, no <base>, no forms
 * posting anywhere, no framing.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** As an HTTP header (serve mode, and the desktop session's responses). */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/**
 * As renderer/index.html's meta tag (a test keeps them equal): the same minus frame-ancestors, which browsers
 * ignore in a meta tag (and warn about); the header and `X-Frame-Options: DENY` cover framing.
 */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.join('; ');
