/** Options and limits of the emulator; every limit the real server has is named here. */
import type { ProfileName } from './profile';

export interface EmulatorOptions {
  /**
   * Which release's behaviour where releases differ (profile.ts); default: the EMULATOR_PROFILE
   * environment variable, else profile.ts DEFAULT_PROFILE.
   */
  profile?: ProfileName;
  apiPort?: number;
  wsPort?: number;
  host?: string;
  secret?: string;
  /** Lifetime of issued tokens; the real default is 90 days (share.yml tokenPolicy.expire). */
  tokenExpireSeconds?: number;
  /** share.yml multiLogin.policy; only 0 (no kick) and 1 (same platform kicks) are emulated. */
  multiLoginPolicy?: MultiLoginPolicy;
  /** Gateway read deadline (pongWait); tests may shorten it. */
  wsReadTimeoutMs?: number;
  /** Gateway ping period for web clients (pingPeriod). */
  wsPingPeriodMs?: number;
}

/** Values of share.yml multiLogin.policy (protocol/constant). */
export const MULTI_LOGIN_DEFAULT_NOT_KICK = 0;
export const MULTI_LOGIN_ALL_BUT_SAME_TERM_KICK = 1;
export type MultiLoginPolicy = typeof MULTI_LOGIN_DEFAULT_NOT_KICK | typeof MULTI_LOGIN_ALL_BUT_SAME_TERM_KICK;

export const DEFAULT_API_PORT = 10002;
export const DEFAULT_WS_PORT = 10001;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SECRET = 'openIM123';
export const DEFAULT_TOKEN_EXPIRE_SECONDS = 90 * 24 * 3600;
/** config/share.yml ships policy 1 (AllLoginButSameTermKick). */
export const DEFAULT_MULTI_LOGIN_POLICY: MultiLoginPolicy = MULTI_LOGIN_ALL_BUT_SAME_TERM_KICK;
export const ADMIN_USER_IDS: readonly string[] = ['imAdmin'];

/** internal/msggateway/constant.go maxMessageSize. */
export const WS_MAX_MESSAGE_BYTES = 51200;
/** internal/msggateway/constant.go pongWait: the read deadline of a gateway connection. */
export const WS_READ_TIMEOUT_MS = 30_000;
/** constant.go pingPeriod (pongWait * 9 / 10), used for web clients only. */
export const WS_PING_PERIOD_MS = 27_000;
/** protocol/constant WebPlatformID: the platform the gateway pings. */
export const WEB_PLATFORM_ID = 5;
/** openim-msggateway.yml longConnSvr.websocketMaxConnNum. */
export const WS_MAX_CONNECTIONS = 100000;
/** share.yml rpcMaxBodySize.requestMaxBodySize, used here as the HTTP body limit. */
export const HTTP_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** jssdk.go: count outside (0, max] falls back to the default. */
export const ACTIVE_CONVERSATIONS_DEFAULT = 100;
export const ACTIVE_CONVERSATIONS_MAX = 500;
/** Part size /object/part_size answers for small files (the real minio default is 5 MiB). */
export const OBJECT_PART_SIZE_BYTES = 5 * 1024 * 1024;
export const OBJECT_MAX_PARTS = 10000;
/** Guard on the seqs one pulled range may expand to (the real server has none; a range is a loop). */
export const PULL_MAX_SEQS = 10_000;
