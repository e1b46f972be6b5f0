/**
 * Debian's nginx as an ordinary process on loopback, with its own prefix directory, running
 * deploy/nginx.conf with the test's ports substituted.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const DEPLOY_CONF = path.resolve(__dirname, '../../deploy/nginx.conf');

export interface Nginx {
  readonly port: number;
  readonly prefix: string;
  /** Points the upstream at `backends` and reloads (SIGHUP); resolves once new workers run the new config. */
  reload(backends: number[]): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** deploy/nginx.conf, pointed at `backends` and listening on `port`, with temp paths in `prefix`. */
export function renderConfig(port: number, backends: number[], prefix: string): string {
  const conf = fs.readFileSync(DEPLOY_CONF, 'utf8');
  const servers = backends.map((p) => `        server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join('\n');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${prefix}/${t};`).join('\n');
  return conf
    .replace(/^worker_processes .*$/m, 'worker_processes 1;')
    .replace(/^\s*worker_connections .*$/m, '    worker_connections 1024;')
    .replace(/(upstream openim_bridge \{\n\s*hash \$arg_sendID consistent;\n)(?:\s*server .*\n)+/, `$1${servers}\n`)
    .replace(/listen 10003;/, `listen 127.0.0.1:${port};`)
    .replace(/http \{\n/, `http {\n${temp}\n`);
}

export async function startNginx(backends: number[]): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed');
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-'));
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, renderConfig(port, backends, prefix));
  // notice: the log then says when a reload has started its new workers.
  const globals = `daemon off; master_process on; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log notice;`;
  execFileSync(NGINX, ['-t', '-q', '-p', prefix, '-c', conf, '-g', globals]);
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', conf, '-g', globals], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nginx did not start: ${fs.readFileSync(`${prefix}/error.log`, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const log = `${prefix}/error.log`;
  return {
    port,
    prefix,
    async reload(next) {
      fs.writeFileSync(conf, renderConfig(port, next, prefix));
      execFileSync(NGINX, ['-t', '-q', '-p', prefix, '-c', conf, '-g', globals]);
      const from = fs.statSync(log).size;
      child.kill('SIGHUP');
      const deadline = Date.now() + 10_000;
      const since = () => fs.readFileSync(log, 'utf8').slice(from);
      while (!/reconfiguring[\s\S]*start worker process/.test(since())) {
        if (Date.now() > deadline) throw new Error(`nginx did not reload: ${since()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          fs.rmSync(prefix, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGQUIT');
      }),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
