/**
 * A cluster worker: a bridge that listens on nothing and serves the connections its primary
 * hands it, answers the primary's questions (counts, metrics) and shuts down when told.
 */
import type { Socket } from 'node:net';
import type { BridgeHandle } from '../bridge';
import { isToWorker, type Answer, type Question, type ToPrimary } from './messages';

export function serveAsWorker(bridge: BridgeHandle, onShutdown: (graceMs: number) => void): void {
  const send = (m: ToPrimary) => process.send?.(m);
  const answer = (q: Question): Promise<Answer> => {
    if (q.what === 'counts') return bridge.counts();
    if (q.what === 'metrics') return bridge.metricsJson();
    if (q.what === 'adminSessions') return Promise.resolve(bridge.sessionsView(q.userID));
    if (q.what === 'kick') return Promise.resolve(bridge.kick(q.userID, q.platformID));
    return Promise.resolve(bridge.sessionsOf(q.userID));
  };
  process.on('message', (m: unknown, handle: unknown) => {
    if (!isToWorker(m)) return;
    if (m.type === 'connection') {
      const socket = handle as Socket | undefined;
      if (!socket) return;
      const bytes = Buffer.from(m.bytes, 'base64');
      if (m.transport === 'http') bridge.adoptHttp(socket, bytes);
      else bridge.adoptTcp(socket, bytes);
    } else if (m.type === 'ask') {
      void answer(m.question).then((value) => send({ type: 'answer', id: m.id, value }));
    } else if (m.type === 'shutdown') {
      onShutdown(m.graceMs);
    }
  });
  // A worker whose primary is gone has no one to hand it connections: go too.
  process.on('disconnect', () => onShutdown(0));
  send({ type: 'ready' });
}
