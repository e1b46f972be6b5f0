/** Tokens never reach a log line: scrub them from URLs and free text. */
const TOKEN_IN_QUERY = /([?&](?:token|Authorization)=)[^&\s"]*/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text.replace(TOKEN_IN_QUERY, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`).replace(JWT, REDACTED);
}
