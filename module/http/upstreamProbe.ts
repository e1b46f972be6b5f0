/**
 * Whether the OpenIM upstream answers: its REST API (any HTTP reply counts) and its gateway
 * (a TCP connection opens). Results are cached briefly so /readyz cannot be used to flood it.
 */
import net from 'node:net';
import type { UpstreamTarget } from '../../core_func/upstream/upstreamSession';

export const PROBE_TIMEOUT_MS = 1_000;
export const PROBE_CACHE_MS = 1_000;

export interface ProbeResult {
  readonly api: boolean;
  readonly gateway: boolean;
}

function tcpReachable(address: string): Promise<boolean> {
  const u = new URL(address);
  const port = Number(u.port || (u.protocol === 'wss:' || u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port, timeout: PROBE_TIMEOUT_MS });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

async function httpReachable(address: string): Promise<boolean> {
  try {
    await fetch(`${address}/auth/parse_token`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

export class UpstreamProbe {
  private last?: { at: number; result: Promise<ProbeResult> };

  constructor(private readonly target: UpstreamTarget) {}

  check(): Promise<ProbeResult> {
    const now = Date.now();
    if (this.last && now - this.last.at < PROBE_CACHE_MS) return this.last.result;
    const result = Promise.all([httpReachable(this.target.apiAddress), tcpReachable(this.target.wsAddress)]).then(([api, gateway]) => ({ api, gateway }));
    this.last = { at: now, result };
    return result;
  }
}
