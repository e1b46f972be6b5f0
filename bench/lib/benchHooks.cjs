/**
 * Loaded into the bridge process by the benchmark only (`node --expose-gc -r`), never by the
 * bridge itself: lets the orchestrator, over IPC, force a full GC before it reads the heap
 * figures from /metrics, and CPU-profile one phase of a case (login, idle, load) rather than
 * the whole process lifetime.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');

let session;
const experiments = new Set((process.env.BENCH_EXPERIMENT ?? '').split(',').filter(Boolean));

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

/**
 * `--experiment cork` / `cork-immediate` (never in a normal run): coalesces the frames written
 * to one socket until the next tick (or until the event loop's current I/O phase has run, with
 * setImmediate) into one write, to size what the proposed change in network/ would give.
 */
if (experiments.has('cork') || experiments.has('cork-immediate')) {
  const later = experiments.has('cork') ? process.nextTick : setImmediate;
  const WebSocket = require('ws');
  const CORKED = Symbol('benchCorked');
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function corkedSend(data, options, cb) {
    const s = this._socket;
    if (s && !s[CORKED] && this.readyState === WebSocket.OPEN) {
      s[CORKED] = true;
      s.cork();
      later(() => {
        s[CORKED] = false;
        s.uncork();
      });
    }
    return send.call(this, data, options, cb);
  };
}

/**
 * `--experiment lean-fetch` (never in a normal run): replaces the global `fetch` of the bridge
 * process (what every client SDK instance uses for its REST calls) with a small one over
 * `http.request` and one keep-alive Agent, to size the change proposed for core_func/upstream.
 * Plain http only; anything else goes to the real fetch.
 */
if (experiments.has('lean-fetch')) {
  const http = require('node:http');
  const realFetch = globalThis.fetch;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  globalThis.fetch = function leanFetch(input, init = {}) {
    const url = new URL(typeof input === 'string' ? input : input.url);
    if (url.protocol !== 'http:' || typeof input !== 'string') return realFetch(input, init);
    return new Promise((resolve, reject) => {
      const headers = {};
      const h = init.headers;
      if (h && typeof h.forEach === 'function' && typeof h.get === 'function') h.forEach((v, k) => (headers[k] = v));
      else if (h) Object.assign(headers, h);
      const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(init.body.buffer ?? init.body, init.body.byteOffset ?? 0, init.body.byteLength);
      if (body) headers['content-length'] = String(body.length);
      const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({
            ok: res.statusCode >= 200 && res.statusCode < 300,
            status: res.statusCode,
            statusText: res.statusMessage ?? '',
            headers: { get: (k) => res.headers[String(k).toLowerCase()] ?? null },
            json: async () => JSON.parse(buf.toString('utf8')),
            text: async () => buf.toString('utf8'),
            arrayBuffer: async () => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length),
          });
        });
      });
      req.on('error', reject);
      if (init.signal) {
        if (init.signal.aborted) req.destroy(init.signal.reason);
        else init.signal.addEventListener('abort', () => req.destroy(init.signal.reason), { once: true });
      }
      req.end(body);
    });
  };
}
