/** Writes held during one loop turn leave together, in order; sockets that went away are skipped. */
import net from 'node:net';
import { BURST_SOCKETS, sampleLoopLoad, WriteCoalescer } from '../../network/writeCoalescer';

interface Pair {
  server: net.Socket;
  client: net.Socket;
  close(): void;
}

async function socketPair(): Promise<Pair> {
  const listener = net.createServer();
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => listener.once('connection', r));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  await new Promise((r) => (client.connecting ? client.once('connect', r) : r(undefined)));
  return {
    server,
    client,
    close() {
      server.destroy();
      client.destroy();
      listener.close();
    },
  };
}

function nextChunk(s: net.Socket): Promise<string> {
  return new Promise((r) => s.once('data', (d: Buffer) => r(d.toString())));
}

describe('WriteCoalescer', () => {
  it('holds the writes of one turn and sends them as one chunk at the end of it', async () => {
    const p = await socketPair();
    try {
      const c = new WriteCoalescer('on');
      const chunk = nextChunk(p.client);
      for (const part of ['a', 'b', 'c']) {
        c.hold(p.server);
        p.server.write(part);
      }
      expect(p.server.writableLength).toBe(3); // nothing left yet
      expect(await chunk).toBe('abc');
      expect(p.server.writableCorked).toBe(0);
    } finally {
      p.close();
    }
  });

  it('keeps order across turns and writes at once when off', async () => {
    const p = await socketPair();
    try {
      const on = new WriteCoalescer('on');
      let got = '';
      p.client.on('data', (d: Buffer) => (got += d.toString()));
      for (let turn = 0; turn < 5; turn++) {
        for (let i = 0; i < 3; i++) {
          on.hold(p.server);
          p.server.write(`${turn}${i},`);
        }
        await new Promise((r) => setImmediate(r));
      }
      const off = new WriteCoalescer('off');
      off.hold(p.server);
      p.server.write('x');
      expect(p.server.writableCorked).toBe(0);
      const expected = '00,01,02,10,11,12,20,21,22,30,31,32,40,41,42,x';
      await new Promise<void>((r) => {
        const check = () => (got === expected ? r() : p.client.once('data', () => setImmediate(check)));
        check();
      });
      expect(got).toBe(expected);
    } finally {
      p.close();
    }
  });

  it('skips a socket destroyed while held and still writes out the others', async () => {
    const a = await socketPair();
    const b = await socketPair();
    try {
      const c = new WriteCoalescer('on');
      c.hold(a.server);
      a.server.write('lost');
      a.server.destroy();
      c.hold(b.server);
      b.server.write('kept');
      expect(await nextChunk(b.client)).toBe('kept');
      expect(b.server.writableCorked).toBe(0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('in auto mode holds writes only while the loop is busy', async () => {
    const p = await socketPair();
    const load: { busy: boolean; stop(): void } = { busy: false, stop: () => undefined };
    try {
      const c = new WriteCoalescer('auto', load);
      for (const part of ['id', 'le']) {
        c.hold(p.server);
        p.server.write(part);
        expect(p.server.writableCorked).toBe(0);
      }
      let got = '';
      p.client.on('data', (d: Buffer) => (got += d.toString()));
      await new Promise<void>((r) => {
        const check = () => (got === 'idle' ? r() : p.client.once('data', () => setImmediate(check)));
        check();
      });
      p.client.removeAllListeners('data');
      load.busy = true;
      c.hold(p.server);
      p.server.write('bu');
      p.server.write('sy');
      expect(p.server.writableCorked).toBe(1);
      expect(await nextChunk(p.client)).toBe('busy');
    } finally {
      p.close();
    }
  });

  it(`in auto mode holds every write of a turn that has written to ${BURST_SOCKETS} sockets (a fan-out)`, async () => {
    const pairs = await Promise.all(Array.from({ length: BURST_SOCKETS + 3 }, () => socketPair()));
    const load: { busy: boolean; stop(): void } = { busy: false, stop: () => undefined };
    try {
      const c = new WriteCoalescer('auto', load);
      const chunks = pairs.map((p) => nextChunk(p.client));
      pairs.forEach((p, i) => {
        c.hold(p.server);
        p.server.write(`m${i}`);
      });
      expect(pairs.map((p) => p.server.writableCorked)).toEqual(pairs.map((_, i) => (i < BURST_SOCKETS ? 0 : 1)));
      expect(await Promise.all(chunks)).toEqual(pairs.map((_, i) => `m${i}`));
      expect(pairs.every((p) => p.server.writableCorked === 0)).toBe(true);
      // The next turn is counted afresh.
      c.hold(pairs[0]!.server);
      pairs[0]!.server.write('again');
      expect(pairs[0]!.server.writableCorked).toBe(0);
    } finally {
      for (const p of pairs) p.close();
    }
  });

  it('samples the loop as busy while it is kept busy, and idle when it is not', async () => {
    const load = sampleLoopLoad(20, 0.5);
    try {
      const spinUntil = Date.now() + 5_000;
      while (!load.busy && Date.now() < spinUntil) {
        const end = Date.now() + 15;
        while (Date.now() < end); // keep the loop busy, yielding briefly so the sampler runs
        await new Promise((r) => setImmediate(r));
      }
      expect(load.busy).toBe(true);
      await new Promise<void>((resolve) => {
        const check = () => (load.busy ? setTimeout(check, 20) : resolve());
        check();
      });
      expect(load.busy).toBe(false);
    } finally {
      load.stop();
    }
  });
});
