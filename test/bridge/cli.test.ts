/** The command line of the real process: --help, and start-up refused with a message naming the bad option. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ENTRY, PROCESS_ENV } from '../support/bridgeProcess';

const run = promisify(execFile);
const bridge = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [ENTRY, ...args], { env: { ...process.env, ...PROCESS_ENV, ...env }, timeout: 30_000 });

describe('Command line', () => {
  it('prints every option with --help and exits 0', async () => {
    const { stdout } = await bridge(['--help']);
    expect(stdout).toContain('Usage: openim-bridge [options]');
    for (const flag of ['--sdk_ws_port / SDK_WS_PORT  (default: 10003)', '--openIM_api_address / OPENIM_API_ADDRESS', '--config / BRIDGE_CONFIG']) expect(stdout).toContain(flag);
  });

  it.each([
    [['--sdk_ws_port', 'abc'], {}, 'openim-bridge: invalid value for --sdk_ws_port: expected an integer, got "abc"'],
    [[], { MAX_FRAME_BYTES: '12' }, 'openim-bridge: invalid value for MAX_FRAME_BYTES: expected an integer from 1024'],
    [['--no_such_option', '1'], {}, 'openim-bridge: unknown option --no_such_option (see --help)'],
  ])('refuses to start with %j %j, naming the option', async (args, env, message) => {
    const err = (await bridge(args, env).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain(message);
  });

  it('does not start when the Redis state store cannot be reached: exit code 1, the address named, the password not', async () => {
    const err = (await bridge(['--state_store', 'redis://bridge:s3cret@127.0.0.1:1/0']).catch((e: unknown) => e)) as { code: number; stderr: string; stdout: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('openim-bridge: failed to start: Error: cannot reach the state store redis://127.0.0.1:1/0: connect ECONNREFUSED 127.0.0.1:1');
    expect(err.stderr + err.stdout).not.toContain('s3cret');
    expect(err.stdout).not.toContain('"event":"ready"');
  });

  it('refuses a state store address that is not redis:// or rediss://, without echoing its password', async () => {
    const err = (await bridge([], { STATE_STORE: 'http://u:s3cret@127.0.0.1:6380' }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('openim-bridge: invalid value for STATE_STORE: expected empty (LevelDB) or a redis:// or rediss:// URL, got "http://u:[redacted]@127.0.0.1:6380"');
  });
});
