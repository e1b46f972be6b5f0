/**
 * The global WebSocket a browser page gives the jssdk: `ws`, reading binary frames as
 * ArrayBuffers. Only test processes install it (the bridge's client SDK has its own binding:
 * core_func/upstream/sdkModule.ts).
 */
import WebSocket from 'ws';
import { BrowserLikeWebSocket } from '../../core_func/upstream/sdkModule';

/** Installs it unless the page already has a browser-like WebSocket (idempotent). */
export function installBrowserWebSocket(): void {
  const g = globalThis as { WebSocket?: unknown };
  if (typeof g.WebSocket === 'undefined' || g.WebSocket === WebSocket) g.WebSocket = BrowserLikeWebSocket;
}
