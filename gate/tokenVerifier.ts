/**
 * Local verification of OpenIM tokens (HS256 JWTs signed with the server's secret), so that
 * forged, expired or borrowed tokens are refused before any upstream connection is opened,
 * with the code msg_gateway would have refused them with (the same precedence as its
 * tokenverify: malformed, expired, not valid yet, then a bad signature; then a token of
 * another user or platform). It cannot know about tokens the server revoked: those are still
 * refused upstream at Login.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TokenErrorCode } from '../common/errors';

export type TokenCheck = { ok: true } | { ok: false; errCode: number; reason: string };

function b64urlJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

interface Claims {
  UserID?: unknown;
  PlatformID?: unknown;
  exp?: unknown;
  nbf?: unknown;
}

export function verifyOpenIMToken(secret: string, token: string, expect: { userID: string; platformID: number }, nowSeconds = Date.now() / 1000): TokenCheck {
  const refuse = (errCode: number, reason: string): TokenCheck => ({ ok: false, errCode, reason });
  const parts = token.split('.');
  if (parts.length !== 3) return refuse(TokenErrorCode.Malformed, 'token is not a JWT');
  const [h, p, sig] = parts as [string, string, string];
  const header = b64urlJson(h) as { alg?: unknown } | undefined;
  const claims = b64urlJson(p) as Claims | undefined;
  if (!header || header.alg !== 'HS256') return refuse(TokenErrorCode.Malformed, 'token is not HS256');
  if (!claims || typeof claims !== 'object') return refuse(TokenErrorCode.Malformed, 'token claims are unreadable');
  if (typeof claims.exp === 'number' && claims.exp !== 0 && nowSeconds >= claims.exp) return refuse(TokenErrorCode.Expired, 'token expired');
  if (typeof claims.nbf === 'number' && claims.nbf !== 0 && nowSeconds < claims.nbf) return refuse(TokenErrorCode.NotValidYet, 'token not valid yet');
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse(TokenErrorCode.Unknown, 'token signature is invalid');
  if (claims.UserID !== expect.userID) return refuse(TokenErrorCode.Invalid, 'token belongs to another user');
  if (claims.PlatformID !== expect.platformID) return refuse(TokenErrorCode.Invalid, 'token belongs to another platform');
  return { ok: true };
}
