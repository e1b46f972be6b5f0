#!/usr/bin/env zx
// Runs the OpenIM emulator standalone. Build first: `npm run build` (loads dist/emulator/index.js).
// Flags: --api-port, --ws-port, --secret, --host, --profile; env: EMULATOR_API_PORT, EMULATOR_WS_PORT, EMULATOR_SECRET, EMULATOR_HOST, EMULATOR_PROFILE.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startEmulator } = require('../dist/emulator/index.js');

const num = (v, d) => (v === undefined || v === '' ? d : Number(v));
const emulator = await startEmulator({
  apiPort: num(argv['api-port'] ?? process.env.EMULATOR_API_PORT, 10002),
  wsPort: num(argv['ws-port'] ?? process.env.EMULATOR_WS_PORT, 10001),
  secret: argv.secret ?? process.env.EMULATOR_SECRET ?? 'openIM123',
  host: argv.host ?? process.env.EMULATOR_HOST ?? '127.0.0.1',
  profile: argv.profile ?? process.env.EMULATOR_PROFILE,
});
echo(`OpenIM emulator: api ${emulator.apiAddress}  ws ${emulator.wsAddress}  secret ${emulator.secret}`);
const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
