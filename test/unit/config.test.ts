import { ConfigError, describeOptions, helpText, loadConfig } from '../../common/config';

describe('loadConfig', () => {
  it('uses the defaults of oimws when nothing is given', () => {
    const c = loadConfig([], {});
    expect(c.port).toBe(10003);
    expect(c.apiAddress).toBe('');
    expect(c.maxFrameBytes).toBe(10 * 1024 * 1024);
    expect(c.maxInflightRequests).toBe(64);
    expect(c.pingIntervalMs).toBe(28_000);
  });

  it('prefers flags over the environment, and accepts oimws flag spellings', () => {
    const c = loadConfig(['-sdk_ws_port', '7000', '--openIM_log_level=debug'], { SDK_WS_PORT: '8000', LOG_LEVEL: 'warn' });
    expect(c.port).toBe(7000);
    expect(c.logLevel).toBe('debug');
    expect(loadConfig([], { SDK_WS_PORT: '8000' }).port).toBe(8000);
  });

  it('reads auto/on/off switches', () => {
    expect(loadConfig([], {}).writeCoalescing).toBe('auto');
    expect(loadConfig(['--write_coalescing', 'off'], {}).writeCoalescing).toBe('off');
    expect(loadConfig(['--write_coalescing=on'], { WRITE_COALESCING: 'no' }).writeCoalescing).toBe('on');
    expect(loadConfig([], { WRITE_COALESCING: 'false' }).writeCoalescing).toBe('off');
  });

  it('accepts oimws numeric log levels', () => {
    expect(loadConfig(['--openIM_log_level', '6'], {}).logLevel).toBe('trace');
  });

  it.each([
    [['--sdk_ws_port', 'abc'], /--sdk_ws_port/],
    [['--sdk_ws_port', '70000'], /--sdk_ws_port.*0 to 65535/],
    [['--openIM_api_address', 'ftp://x'], /--openIM_api_address/],
    [['--nope', '1'], /unknown option --nope/],
    [['--openIM_api_address', 'http://127.0.0.1:10002'], /must be given together/],
    [['--write_coalescing', 'maybe'], /--write_coalescing.*auto, on or off/],
    [['--upstream_heartbeat_ms', '30000'], /--upstream_heartbeat_ms.*1000 to 25000/],
    [['--workers', '0'], /--workers.*1 to 64/],
    [['--workers', '65'], /--workers.*1 to 64/],
    [['--workers', '2', '--tls_cert', 'c.pem', '--tls_key', 'k.pem'], /--workers above 1 needs plain ws:\/\/ and tcp:\/\//],
  ])('refuses %j with a message naming the option', (argv, message) => {
    expect(() => loadConfig(argv, {})).toThrow(ConfigError);
    expect(() => loadConfig(argv, {})).toThrow(message);
  });

  it('names the environment variable when the bad value came from there', () => {
    expect(() => loadConfig([], { MAX_INFLIGHT_REQUESTS: '0' })).toThrow(/MAX_INFLIGHT_REQUESTS/);
  });

  it('lists every option in --help', () => {
    const help = helpText();
    for (const o of describeOptions()) {
      expect(help).toContain(o.flag);
      expect(help).toContain(o.env);
    }
  });

  it('reads a JSON config file, below flags and environment', () => {
    const files: Record<string, string> = { '/etc/bridge.json': JSON.stringify({ sdk_ws_port: 9000, openIM_log_level: 'warn', max_inflight_requests: 8 }) };
    const read = (p: string) => files[p] ?? '';
    const c = loadConfig(['--config', '/etc/bridge.json', '--max_inflight_requests', '16'], { LOG_LEVEL: 'error' }, read);
    expect(c.port).toBe(9000); // file
    expect(c.logLevel).toBe('error'); // env beats file
    expect(c.maxInflightRequests).toBe(16); // flag beats file
    expect(loadConfig([], { BRIDGE_CONFIG: '/etc/bridge.json' }, read).port).toBe(9000);
  });

  it('names the bad key of a config file', () => {
    const read = () => JSON.stringify({ sdk_ws_port: 'high' });
    expect(() => loadConfig(['--config=/x.json'], {}, read)).toThrow('invalid value for "sdk_ws_port" in /x.json');
    expect(() => loadConfig(['--config=/x.json'], {}, () => '{"nope": 1}')).toThrow('config file /x.json: unknown option "nope"');
    expect(() => loadConfig(['--config=/x.json'], {}, () => '{')).toThrow(/config file \/x.json/);
  });
});
