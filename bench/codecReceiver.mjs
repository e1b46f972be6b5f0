/**
 * A receiving client for the codec case, in its own process: logs in over one transport and
 * codec with the project's client wire, and counts the bytes of every frame it receives.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const distOf = (rel) => (process.env.BENCH_ROOT ? `${process.env.BENCH_ROOT}/dist/${rel}` : `../dist/${rel}`);
const { openWire } = require(distOf('client/wire.js'));
const { decodeFrame, encodeRequest } = require(distOf('client/codec.js'));

const stats = { frames: 0, bytes: 0, messages: 0, messageFrames: 0, messageFrameBytes: 0 };
let waiter;

async function connect({ address, codec, userID, token }) {
  const wire = await openWire(address, { sendID: userID, token, platformID: 5, operationID: 'codec-bench', codec });
  const loggedIn = new Promise((resolve, reject) => {
    wire.onFrame((bytes) => {
      const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
      const f = decodeFrame(codec, bytes);
      if (!f) return;
      if (f.event === 'Login') return f.errCode === 0 ? resolve() : reject(new Error(`Login: ${f.errCode} ${f.errMsg}`));
      stats.frames++;
      stats.bytes += size;
      if (f.event === 'OnRecvNewMessages' && Array.isArray(f.data)) {
        stats.messageFrames++;
        stats.messageFrameBytes += size;
        stats.messages += f.data.length;
        if (waiter && stats.messages >= waiter.n) waiter.done();
      }
    });
  });
  wire.send(encodeRequest(codec, { reqFuncName: 'Login', operationID: 'codec-bench-login', userID, args: [userID, token] }));
  await loggedIn;
}

const COMMANDS = {
  connect: (a) => connect(a).then(() => ({ ok: true })),
  reset: async () => {
    Object.assign(stats, { frames: 0, bytes: 0, messages: 0, messageFrames: 0, messageFrameBytes: 0 });
    return { ok: true };
  },
  wait: async ({ n, timeoutMs }) => {
    const deadline = setTimeout(() => waiter?.done(), timeoutMs);
    await new Promise((resolve) => {
      waiter = { n, done: resolve };
      if (stats.messages >= n) resolve();
    });
    clearTimeout(deadline);
    return { ...stats };
  },
};

// The IPC protocol of bench/generator.mjs: {id, cmd, args} in, {id, result} or {id, error} out.
process.on('message', async ({ id, cmd, args }) => {
  try {
    process.send({ id, result: await COMMANDS[cmd](args) });
  } catch (err) {
    process.send({ id, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
