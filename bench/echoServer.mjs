/** The floor: a bare `ws` server in its own process that sends every frame straight back. */
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ event: 'ready', wsAddress: `ws://127.0.0.1:${wss.address().port}` })}\n`));
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0)).resume();
