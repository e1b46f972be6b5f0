/**
 * Issues and checks tokens like the auth rpc: a JWT must verify AND be on record for its
 * user and platform in the normal state (the real server keeps that record in Redis).
 */
import { apiError, ErrCode } from '../errors';
import { signToken, verifyToken } from './jwt';
import type { TokenClaims } from './jwt';
import { MULTI_LOGIN_ALL_BUT_SAME_TERM_KICK } from '../config';
import type { MultiLoginPolicy } from '../config';

const enum TokenState {
  Normal = 0,
  Kicked = 2,
}

export interface TokenServiceOptions {
  secret: string;
  ttlSeconds: number;
  adminUserIDs: readonly string[];
  nowMs: () => number;
  multiLoginPolicy: MultiLoginPolicy;
}

/** share.yml multiLogin.maxNumOneEnd */
const MAX_TOKENS_ONE_END = 30;

export class TokenService {
  /** userID → platformID → token → state */
  private readonly records = new Map<string, Map<number, Map<string, TokenState>>>();

  constructor(private readonly opts: TokenServiceOptions) {}

  isAdmin(userID: string): boolean {
    return this.opts.adminUserIDs.includes(userID);
  }

  /**
   * CreateToken: drops tokens that are expired or no longer normal, kicks what the multi-login
   * policy says (policy 1: every token of this platform, and all but the newest of the others),
   * then records the new token as normal.
   */
  issue(userID: string, platformID: number): { token: string; expireTimeSeconds: number } {
    if (!this.isAdmin(userID)) this.applyPolicyBeforeIssue(userID, platformID);
    const token = signToken(this.opts.secret, userID, platformID, this.nowSeconds(), this.opts.ttlSeconds);
    const tokens = this.platformTokens(userID, platformID);
    tokens.delete(token);
    tokens.set(token, TokenState.Normal);
    return { token, expireTimeSeconds: this.opts.ttlSeconds };
  }

  /** Claims of a usable token, or throws the ApiError the real ParseToken returns. */
  parse(token: string): TokenClaims {
    const verified = verifyToken(this.opts.secret, token, this.nowSeconds());
    if (!verified.ok) throw apiError(verified.errCode);
    const { claims } = verified;
    if (this.isAdmin(claims.UserID)) return claims;
    const state = this.records.get(claims.UserID)?.get(claims.PlatformID)?.get(token);
    if (state === undefined) throw apiError(ErrCode.TokenNotExist);
    if (state === TokenState.Kicked) throw apiError(ErrCode.TokenKicked);
    return claims;
  }

  /** Marks every token of the user on that platform as kicked, except `preserve`. */
  kickPlatform(userID: string, platformID: number, preserve?: string): void {
    const tokens = this.records.get(userID)?.get(platformID);
    if (!tokens) return;
    for (const token of tokens.keys()) if (token !== preserve) tokens.set(token, TokenState.Kicked);
  }

  kickToken(userID: string, platformID: number, token: string): void {
    const tokens = this.records.get(userID)?.get(platformID);
    if (tokens?.has(token)) tokens.set(token, TokenState.Kicked);
  }

  private applyPolicyBeforeIssue(userID: string, platformID: number): void {
    const byPlatform = this.records.get(userID);
    if (!byPlatform) return;
    const now = this.nowSeconds();
    for (const [plt, tokens] of byPlatform) {
      for (const [token, state] of tokens) {
        if (state !== TokenState.Normal || !verifyToken(this.opts.secret, token, now).ok) tokens.delete(token);
      }
      const normal = [...tokens.keys()];
      let kick: string[];
      if (this.opts.multiLoginPolicy === MULTI_LOGIN_ALL_BUT_SAME_TERM_KICK) {
        kick = plt === platformID ? normal : normal.slice(0, -1);
      } else {
        const count = normal.length + (plt === platformID ? 1 : 0);
        kick = count > MAX_TOKENS_ONE_END ? normal.slice(0, count - MAX_TOKENS_ONE_END) : [];
      }
      for (const t of kick) tokens.set(t, TokenState.Kicked);
    }
  }

  private platformTokens(userID: string, platformID: number): Map<string, TokenState> {
    let byPlatform = this.records.get(userID);
    if (!byPlatform) {
      byPlatform = new Map();
      this.records.set(userID, byPlatform);
    }
    let tokens = byPlatform.get(platformID);
    if (!tokens) {
      tokens = new Map();
      byPlatform.set(platformID, tokens);
    }
    return tokens;
  }

  private nowSeconds(): number {
    return Math.floor(this.opts.nowMs() / 1000);
  }
}
