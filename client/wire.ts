/** A connection to the bridge over WebSocket or TCP, carrying whole frames either way. */
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { decodeClose, encodeClose, encodeFrame, FrameKind, FrameReader, LineReader } from '../network/tcpFraming';
import type { ClientCodec } from './codec';

/** The msgpack WebSocket subprotocol (gate/codecs.ts). */
export const MSGPACK_SUBPROTOCOL = 'openim.msgpack.v1';
/** The client never accepts frames larger than this from the bridge. */
export const CLIENT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

export interface ConnectParams {
  readonly sendID: string;
  readonly token: string;
  readonly platformID: number;
  readonly operationID: string;
  readonly codec: ClientCodec;
}

export interface Wire {
  send(data: string | Buffer): void;
  close(code?: number, reason?: string): void;
  /** Drops the connection without a goodbye (tests). */
  terminate(): void;
  onFrame(handler: (data: Buffer | string) => void): void;
  onClose(handler: (code: number, reason: string) => void): void;
}

export class ConnectRefused extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(`connection refused (${status}): ${reason}`);
  }
}

function query(p: ConnectParams): string {
  return new URLSearchParams({ sendID: p.sendID, token: p.token, platformID: String(p.platformID), operationID: p.operationID, codec: p.codec }).toString();
}

function openWebSocket(address: string, p: ConnectParams): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${address.replace(/\/+$/, '')}/?${query(p)}`, p.codec === 'msgpack' ? [MSGPACK_SUBPROTOCOL] : []);
    ws.once('unexpected-response', (_req, res) => reject(new ConnectRefused(res.statusCode ?? 0, res.statusMessage ?? '')));
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      resolve({
        send: (d) => ws.send(d, { binary: typeof d !== 'string' }),
        close: (code = 1000, reason = '') => ws.close(code, reason),
        terminate: () => ws.terminate(),
        onFrame: (h) => ws.on('message', (d, isBinary) => h(isBinary ? (d as Buffer) : d.toString())),
        onClose: (h) => ws.once('close', (code, reason) => h(code, reason.toString())),
      });
    });
  });
}

function openTcp(address: string, p: ConnectParams): Promise<Wire> {
  const u = new URL(address);
  const options = { host: u.hostname, port: Number(u.port) };
  return new Promise((resolve, reject) => {
    const socket = u.protocol === 'tls:' ? tls.connect({ ...options, rejectUnauthorized: false }) : net.connect(options);
    socket.setNoDelay(true);
    socket.once('error', reject);
    socket.once(u.protocol === 'tls:' ? 'secureConnect' : 'connect', () => socket.write(`${query(p)}\n`));
    const lines = new LineReader();
    const frames = new FrameReader(CLIENT_MAX_FRAME_BYTES);
    const frameHandlers: ((d: Buffer) => void)[] = [];
    let closeInfo = { code: 1006, reason: '' };
    const onHandshake = (chunk: Buffer) => {
      const r = lines.push(chunk);
      if (r.error) return reject(new Error(r.error));
      if (r.line === undefined) return;
      socket.off('data', onHandshake);
      const m = /^ERR (\d+) (.*)$/.exec(r.line);
      if (m) return reject(new ConnectRefused(Number(m[1]), m[2]!));
      if (r.line !== 'OK') return reject(new Error(`unexpected handshake answer: ${r.line.slice(0, 80)}`));
      socket.off('error', reject);
      socket.on('error', () => undefined);
      const onData = (c: Buffer) => {
        const { frames: got, error } = frames.push(c);
        for (const f of got) {
          if (f.kind === FrameKind.Message) frameHandlers.forEach((h) => h(f.payload));
          else if (f.kind === FrameKind.Ping) socket.write(encodeFrame(FrameKind.Pong));
          else if (f.kind === FrameKind.Close) closeInfo = decodeClose(f.payload);
        }
        if (error) socket.destroy();
      };
      socket.on('data', onData);
      resolve({
        send: (d) => socket.write(encodeFrame(FrameKind.Message, typeof d === 'string' ? Buffer.from(d) : d)),
        close: (code = 1000, reason = '') => socket.end(encodeClose(code, reason)),
        terminate: () => socket.destroy(),
        onFrame: (h) => frameHandlers.push(h),
        onClose: (h) => socket.once('close', () => h(closeInfo.code, closeInfo.reason)),
      });
      if (r.rest?.length) onData(r.rest);
    };
    socket.on('data', onHandshake);
  });
}

export function openWire(address: string, p: ConnectParams): Promise<Wire> {
  const scheme = new URL(address).protocol;
  if (scheme === 'ws:' || scheme === 'wss:') return openWebSocket(address, p);
  if (scheme === 'tcp:' || scheme === 'tls:') return openTcp(address, p);
  return Promise.reject(new Error(`unsupported address ${address}: use ws://, wss://, tcp:// or tls://`));
}
