/** The bridge as a real process (dist/cmd/main.js), for signals, exit codes and start-up errors. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const ENTRY = path.resolve(__dirname, '../../dist/cmd/main.js');

export interface ReadyLine {
  port: number;
  wsAddress: string;
  tcpAddress?: string;
  upstream: { apiAddress: string; wsAddress: string };
}

export interface BridgeProcess {
  readonly child: ChildProcess;
  readonly ready: ReadyLine;
  readonly lines: unknown[];
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Free ports everywhere, embedded emulator, quiet logs unless asked. */
export const PROCESS_ENV = { SDK_WS_PORT: '0', EMULATOR_API_PORT: '0', EMULATOR_WS_PORT: '0', BRIDGE_HOST: '127.0.0.1', LOG_LEVEL: 'info' };

/** A data directory of its own: two bridges cannot share one local store. */
export function freshDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-proc-db-'));
}

export function startBridgeProcess(args: string[] = [], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<BridgeProcess> {
  const child = spawn(process.execPath, [ENTRY, ...args], { env: { ...process.env, ...PROCESS_ENV, OPENIM_DB_DIR: freshDataDir(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: unknown[] = [];
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge not ready within ${timeoutMs} ms`)), timeoutMs);
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(l);
      } catch {
        return;
      }
      lines.push(parsed);
      const o = parsed as { event?: string } & ReadyLine;
      if (o.event === 'ready') {
        clearTimeout(timer);
        resolve({ child, ready: o, lines, exited: () => exit });
      }
    });
    void exit.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code} before it was ready`));
    });
  });
}
