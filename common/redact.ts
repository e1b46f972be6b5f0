/** Tokens and URL passwords never reach a log line: scrub them from URLs and free text. */
const TOKEN_IN_QUERY = /([?&](?:token|Authorization)=)[^&\s"]*/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
/** The password of a URL's user info (redis://user:secret@host): the only secret a store address holds. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text.replace(TOKEN_IN_QUERY, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`).replace(JWT, REDACTED).replace(URL_PASSWORD, `$1${REDACTED}@`);
}
