/**
 * Local verification of OpenIM tokens (HS256 JWTs signed with the server's secret), so that
 * forged, expired or borrowed tokens are refused at the upgrade, before any upstream
 * connection is opened. It cannot know about tokens the server revoked: those are still
 * refused upstream at Login.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenCheck = { ok: true } | { ok: false; reason: string };

function b64urlJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function verifyOpenIMToken(secret: string, token: string, expect: { userID: string; platformID: number }, nowSeconds = Date.now() / 1000): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'token is not a JWT' };
  const [h, p, sig] = parts as [string, string, string];
  const header = b64urlJson(h) as { alg?: unknown } | undefined;
  if (!header || header.alg !== 'HS256') return { ok: false, reason: 'token is not HS256' };
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'token signature is invalid' };
  const claims = b64urlJson(p) as { UserID?: unknown; PlatformID?: unknown; exp?: unknown; nbf?: unknown } | undefined;
  if (!claims) return { ok: false, reason: 'token claims are unreadable' };
  if (typeof claims.exp === 'number' && claims.exp !== 0 && nowSeconds >= claims.exp) return { ok: false, reason: 'token expired' };
  if (typeof claims.nbf === 'number' && claims.nbf !== 0 && nowSeconds < claims.nbf) return { ok: false, reason: 'token not valid yet' };
  if (claims.UserID !== expect.userID) return { ok: false, reason: 'token belongs to another user' };
  if (claims.PlatformID !== expect.platformID) return { ok: false, reason: 'token belongs to another platform' };
  return { ok: true };
}
