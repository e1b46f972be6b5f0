/**
 * Debian's redis-server as an ordinary process on loopback: a free port (never 6379), its own
 * temp directory, no persistence unless asked. It can be stopped and started again on the same
 * port (the fault tests); with `appendOnly` (fsync always) what it acknowledged survives that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './nginx';

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: no chance to save anything not yet on disk). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered — a Redis that is slow. */
  pause(): void;
  /** Lets a paused process go on (SIGCONT). */
  resume(): void;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

export interface RedisServerOptions {
  /** Keep an append-only file with fsync on every write, so a restart loses nothing it acknowledged. */
  readonly appendOnly?: boolean;
}

/** Fails the suite under CI when redis-server is missing; elsewhere the caller may skip. */
export function requireRedisUnderCi(): void {
  if (!REDIS_SERVER && process.env.CI === 'true') throw new Error('redis-server is required under CI (.ci/run installs it)');
  if (!REDIS_SERVER) console.warn('redis-server not installed: skipping the Redis suites (apt-get install redis-server)');
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      text += String(d);
      if (text.includes('\r\n')) {
        s.destroy();
        resolve(text.startsWith('+PONG'));
      }
    });
    s.once('error', () => resolve(false));
  });
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-'));
  const port = await freePort();
  const persistence = options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence, '--daemonize', 'no', '--logfile', path.join(dir, 'redis.log')];
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn(REDIS_SERVER!, args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        const log = fs.existsSync(path.join(dir, 'redis.log')) ? fs.readFileSync(path.join(dir, 'redis.log'), 'utf8') : '';
        throw new Error(`redis-server did not start on ${port}: ${log.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  function stop(): Promise<void> {
    return new Promise((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async close() {
      child?.kill('SIGCONT');
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
