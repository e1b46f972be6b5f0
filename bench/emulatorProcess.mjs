/** The OpenIM emulator as a process of its own (free ports, 127.0.0.1); prints one JSON ready line. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// BENCH_ROOT: the checkout whose dist/ is measured (default: the one this file is in)
const distOf = (rel) => (process.env.BENCH_ROOT ? `${process.env.BENCH_ROOT}/dist/${rel}` : `../dist/${rel}`);
const { startEmulator } = require(distOf('emulator/index.js'));

const emulator = await startEmulator({ apiPort: 0, wsPort: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ event: 'ready', apiAddress: emulator.apiAddress, wsAddress: emulator.wsAddress, secret: emulator.secret })}\n`);
const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop).resume();
