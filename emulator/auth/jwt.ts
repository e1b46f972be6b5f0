/** HS256 JWTs with the claims the real server puts in its tokens (tools/tokenverify). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrCode } from '../errors';

export interface TokenClaims {
  UserID: string;
  PlatformID: number;
  exp: number;
  nbf: number;
  iat: number;
}

/** The real server backdates nbf so clock skew does not reject fresh tokens. */
const NOT_BEFORE_SKEW_SECONDS = 300;

const b64url = (buf: Buffer): string => buf.toString('base64url');

function hmac(secret: string, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signToken(secret: string, userID: string, platformID: number, nowSeconds: number, ttlSeconds: number): string {
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const claims: TokenClaims = {
    UserID: userID,
    PlatformID: platformID,
    exp: nowSeconds + ttlSeconds,
    nbf: nowSeconds - NOT_BEFORE_SKEW_SECONDS,
    iat: nowSeconds,
  };
  const payload = b64url(Buffer.from(JSON.stringify(claims)));
  return `${header}.${payload}.${b64url(hmac(secret, `${header}.${payload}`))}`;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; errCode: number };

function parseClaims(json: string): TokenClaims | undefined {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.UserID !== 'string' || typeof o.PlatformID !== 'number') return undefined;
  const num = (x: unknown): number => (typeof x === 'number' ? x : 0);
  return { UserID: o.UserID, PlatformID: o.PlatformID, exp: num(o.exp), nbf: num(o.nbf), iat: num(o.iat) };
}

/** Same error precedence as tokenverify.getToken: malformed, expired, not valid yet, else unknown. */
export function verifyToken(secret: string, token: string, nowSeconds: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, errCode: ErrCode.TokenMalformed };
  const [header, payload, signature] = parts;
  const claims = parseClaims(Buffer.from(payload, 'base64url').toString('utf8'));
  let headerOk = false;
  try {
    const h: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    headerOk = typeof h === 'object' && h !== null && (h as { alg?: unknown }).alg === 'HS256';
  } catch {
    headerOk = false;
  }
  if (!claims || !headerOk) return { ok: false, errCode: ErrCode.TokenMalformed };
  if (claims.exp !== 0 && nowSeconds >= claims.exp) return { ok: false, errCode: ErrCode.TokenExpired };
  if (claims.nbf !== 0 && nowSeconds < claims.nbf) return { ok: false, errCode: ErrCode.TokenNotValidYet };
  const expected = hmac(secret, `${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, errCode: ErrCode.TokenUnknown };
  return { ok: true, claims };
}
