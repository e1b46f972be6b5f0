/**
 * Loaded into the bridge process by the benchmark only (`node --expose-gc -r`), never by the
 * bridge itself: lets the orchestrator, over IPC, force a full GC and read the memory right
 * after it, and CPU-profile one phase of a case (login, idle, load) rather than the whole
 * process lifetime. With --workers the workers inherit it: a GC asked of the primary runs in
 * every worker too, and their memory is reported with the primary's.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const childProcess = require('node:child_process');

let session;
const isWorker = process.env.BRIDGE_WORKER_INDEX !== undefined;
const workers = new Set();
let nextAsk = 1;

if (!isWorker) {
  const fork = childProcess.fork;
  childProcess.fork = function forkAndTrack(...args) {
    const child = fork.apply(this, args);
    workers.add(child);
    child.once('exit', () => workers.delete(child));
    return child;
  };
}

/** Runs a hook in one worker (its copy of this file answers). */
function askWorker(child, cmd, extra = {}) {
  const id = `bench-${nextAsk++}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), 10_000);
    const onMessage = (m) => m && m.id === id && done(m.result);
    function done(result) {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(result);
    }
    child.on('message', onMessage);
    child.send({ ...extra, cmd, id });
  });
}

const handlers = {
  async gc() {
    if (typeof globalThis.gc === 'function') {
      globalThis.gc();
      globalThis.gc();
    }
    const memory = process.memoryUsage();
    const inWorkers = await Promise.all([...workers].map((w) => askWorker(w, 'gc')));
    return { memory, workers: inWorkers.map((r) => r?.memory).filter(Boolean) };
  },
  /** A heap snapshot of this process (not the workers), written to `file`, after a full GC. */
  heapSnapshot(msg) {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    return { file: require('node:v8').writeHeapSnapshot(msg.file) };
  },
  /** Profiles this process and, with --workers, every worker (each writes a file of its own at profileStop). */
  async profileStart() {
    if (!session) {
      session = new inspector.Session();
      session.connect();
    }
    await new Promise((resolve, reject) =>
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start', (err) => (err ? reject(err) : resolve({}))))),
    );
    await Promise.all([...workers].map((w) => askWorker(w, 'profileStart')));
    return {};
  },
  /** `file` for this process; a worker's goes next to it as `<name>.worker<i>.cpuprofile`. */
  async profileStop(msg) {
    await new Promise((resolve, reject) =>
      session.post('Profiler.stop', (err, { profile } = {}) => {
        if (err) return reject(err);
        fs.writeFileSync(msg.file, JSON.stringify(profile));
        resolve();
      }),
    );
    const files = await Promise.all([...workers].map((w, i) => askWorker(w, 'profileStop', { file: msg.file.replace(/(\.cpuprofile)?$/, `.worker${i}.cpuprofile`) })));
    return { file: msg.file, workers: files.map((r) => r?.file).filter(Boolean) };
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
  // the orchestrator (if that dies without stopping it); a worker's channel is its primary's
  if (!isWorker) {
    process.channel?.unref();
    process.on('disconnect', () => process.exit(0));
  }
}
