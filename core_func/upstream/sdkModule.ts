/**
 * The one place that owns what @openim/client-sdk forces on its host. The SDK is written for
 * browsers: it refers to `fetch`, `WebSocket` and `console` as globals, prints a banner per
 * instance, logs every reply of its login sync with console.warn, and turns the shared
 * `loglevel` logger to Debug at login. Instead of patching the process's globals, the SDK's
 * CommonJS build is evaluated here with its own bindings for those names (the way Node's own
 * module wrapper binds `require` and `module`): its REST calls take the lean path
 * (upstreamHttp.ts), its sockets read binary frames as a browser would, and its logging stays
 * inside it. Nothing outside this module sees a difference.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import loglevel from 'loglevel';
import WebSocket from 'ws';
import { upstreamFetch } from './upstreamHttp';

export type ClientSdkModule = typeof import('@openim/client-sdk');

const SDK_PACKAGE = '@openim/client-sdk';

/** The release the bridge's repairs and hooks were written against (sdkHooks.ts checks the rest). */
export const SUPPORTED_CLIENT_SDK_VERSION = '0.0.14';

/**
 * The SDK reads binary frames as a browser would (ArrayBuffer); `ws` hands out Buffers
 * unless told otherwise, and the SDK cannot read those.
 */
export class BrowserLikeWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols);
    this.binaryType = 'arraybuffer';
  }
}

const quiet = (): void => undefined;

/**
 * The SDK's `console`: its banner (info) and its dump of every active-conversations reply (warn)
 * are dropped; what it reports as an error still reaches the process's stderr.
 */
const sdkConsole: Pick<Console, 'info' | 'log' | 'debug' | 'warn' | 'error' | 'trace'> = {
  info: quiet,
  log: quiet,
  debug: quiet,
  trace: quiet,
  warn: quiet,
  error: (...args: unknown[]) => console.error('[client-sdk]', ...args),
};

/** The SDK's own loglevel logger: its setLevel at login changes no one else's. */
const sdkLogger = loglevel.getLogger(SDK_PACKAGE);
sdkLogger.setLevel('silent');

let loaded: { module: ClientSdkModule; version: string } | undefined;

function load(): { module: ClientSdkModule; version: string } {
  const filename = require.resolve(SDK_PACKAGE);
  const sdkRequire = createRequire(filename);
  const version = (JSON.parse(fs.readFileSync(sdkRequire.resolve(`${SDK_PACKAGE}/package.json`), 'utf8')) as { version: string }).version;
  // Resolved from the SDK's own folder, loaded through this module's require (jest's registry in tests).
  const requireForSdk = (id: string): unknown => (id === 'loglevel' ? sdkLogger : require(sdkRequire.resolve(id)));
  const module = { exports: {} as Record<string, unknown> };
  const source = fs.readFileSync(filename, 'utf8');
  const body = new Function('exports', 'require', 'module', '__filename', '__dirname', 'fetch', 'WebSocket', 'console', `${source}\n//# sourceURL=${filename}`);
  body(module.exports, requireForSdk, module, filename, path.dirname(filename), upstreamFetch, BrowserLikeWebSocket, sdkConsole);
  return { module: module.exports as unknown as ClientSdkModule, version };
}

/** The client SDK with the bindings above, evaluated once per process. */
export function clientSdkModule(): ClientSdkModule {
  loaded ??= load();
  return loaded.module;
}

/** The installed client SDK's version (named in every hook-check failure). */
export function clientSdkVersion(): string {
  loaded ??= load();
  return loaded.version;
}

/** A raw client SDK instance (what getSDK returns). */
export function newSdkInstance(): ReturnType<ClientSdkModule['getSDK']> {
  return clientSdkModule().getSDK();
}
