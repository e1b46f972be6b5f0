/**
 * Loaded into the bridge process by the benchmark only (`node --expose-gc -r`), never by the
 * bridge itself: lets the orchestrator, over IPC, force a full GC before it reads the heap
 * figures from /metrics, and CPU-profile one phase of a case (login, idle, load) rather than
 * the whole process lifetime.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');

let session;

const handlers = {
  gc() {
    if (typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    return { memory: process.memoryUsage() };
  },
  profileStart() {
    if (!session) {
      session = new inspector.Session();
      session.connect();
    }
    return new Promise((resolve, reject) =>
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start', (err) => (err ? reject(err) : resolve({}))))),
    );
  },
  profileStop(msg) {
    return new Promise((resolve, reject) =>
      session.post('Profiler.stop', (err, { profile } = {}) => {
        if (err) return reject(err);
        fs.writeFileSync(msg.file, JSON.stringify(profile));
        resolve({ file: msg.file });
      }),
    );
  },
};

if (typeof process.send === 'function') {
  process.on('message', async (msg) => {
    const h = msg && handlers[msg.cmd];
    if (!h) return;
    try {
      process.send({ id: msg.id, result: await h(msg) });
    } catch (err) {
      process.send({ id: msg.id, result: { error: String(err) } });
    }
  });
  // the IPC channel must not keep the bridge alive on its own, and the bridge must not outlive
  // the orchestrator (if that dies without stopping it)
  process.channel?.unref();
  process.on('disconnect', () => process.exit(0));
}
