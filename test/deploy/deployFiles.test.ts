/**
 * The deploy files name only what the bridge has: every flag and environment variable is an
 * option of common/config.ts and its value passes the bridge's own parser, every port is the one
 * the bridge listens on, every HTTP path answers on a live bridge, every metric is in its
 * registry; the drain fits in the grace the orchestrator gives; the ingress hashes on the
 * connect parameter the bridge keys sessions on. Stack facts (openim-docker's service names and
 * ports, helm-charts' service names) are listed once below with their source.
 */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig, OPTIONS, type Config } from '../../common/config';
import { SHUTDOWN_GRACE_MS } from '../../cmd/main';
import { readConnectParams } from '../../gate/handshake';
import { optionEnvs, optionFlags, startBridgeSurface, type BridgeSurface } from '../support/bridgeSurface';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** openimsdk/openim-docker (docker-compose.yaml, .env at v3.8.3-patch.15): what the compose file relies on. */
const OPENIM_DOCKER = {
  network: 'openim',
  services: { 'openim-server': { msgGateway: 10001, api: 10002 }, redis: { port: 6379 } },
  env: { OPENIM_SECRET: 'openIM123', REDIS_PASSWORD: 'openIM123' } as Record<string, string>,
};
/** openimsdk/helm-charts (config-imserver.yaml): services of release `openimserver`, Redis of release `im`. */
const HELM_CHARTS = { api: 'openimserver-openim-api:80', msgGateway: 'openimserver-openim-msggateway:80', redis: 'im-redis-master:6379' };

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function obj(v: Json | undefined, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what}: expected a mapping`);
  return v;
}
function arr(v: Json | undefined, what: string): Json[] {
  if (!Array.isArray(v)) throw new Error(`${what}: expected a list`);
  return v;
}
function str(v: Json | undefined, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/** Every string anywhere in a document (values and keys). */
function strings(v: Json): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
  return [];
}

/** Environment names the file sets, each checked against the options. */
function unknownEnvs(names: string[]): string[] {
  const envs = optionEnvs();
  return names.filter((n) => !envs.has(n));
}

/** `--flag` tokens in any string, each checked against the options. */
function unknownFlags(doc: Json): string[] {
  const flags = optionFlags();
  return strings(doc)
    .flatMap((s) => [...s.matchAll(/(?:^|\s)--([A-Za-z][\w]*)/g)].map((m) => m[1]!))
    .filter((f) => !flags.has(f));
}

/** `openim_bridge_*` names in any string. */
function metricsNamed(doc: Json): string[] {
  return strings(doc).flatMap((s) => [...s.matchAll(/\bopenim_bridge_\w+/g)].map((m) => m[0]));
}

/** The configuration the bridge reads from this environment (throws like the bridge on a bad value). */
function configFrom(env: Record<string, string>): Config {
  return loadConfig([], env);
}

/** docker compose's ${VAR} and ${VAR:-default}, from openim-docker's .env. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_m, name: string, def: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def;
    throw new Error(`\${${name}} is neither in openim-docker's .env nor defaulted`);
  });
}

/** The drain the bridge does with this configuration, then its own shutdown wait. */
function stopBudgetMs(env: Record<string, string>): number {
  const drain = env[OPTIONS.drainMs.env] === undefined ? OPTIONS.drainMs.default : OPTIONS.drainMs.parse(env[OPTIONS.drainMs.env]!);
  return drain + SHUTDOWN_GRACE_MS;
}

/** 101 when the bridge accepts a jssdk-style upgrade at this URL, else the HTTP status it answered. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('upgrade', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

let surface: BridgeSurface;
beforeAll(async () => {
  surface = await startBridgeSurface();
});
afterAll(async () => {
  await surface?.close();
});

describe('deploy/compose/openim-bridge.yaml (added to an openim-docker stack)', () => {
  const file = parse(read('deploy/compose/openim-bridge.yaml')) as Json;
  const service = obj(obj(obj(file, 'compose').services, 'services')['openim-bridge'], 'services.openim-bridge');
  const rawEnv = obj(service.environment, 'environment');
  const env = Object.fromEntries(Object.entries(rawEnv).map(([k, v]) => [k, interpolate(str(v, k), OPENIM_DOCKER.env)]));

  it('sets only options of the bridge, with values its parser accepts', () => {
    expect(unknownEnvs(Object.keys(env))).toEqual([]);
    expect(unknownFlags(file)).toEqual([]);
    const config = configFrom(env);
    expect(config.stateStore).toBe(`redis://:${OPENIM_DOCKER.env.REDIS_PASSWORD}@redis:${OPENIM_DOCKER.services.redis.port}/1`);
    expect(config.tokenSecret).toBe(OPENIM_DOCKER.env.OPENIM_SECRET);
  });

  it('reaches OpenIM and Redis by the stack\'s service names and ports, on its network', () => {
    const config = configFrom(env);
    const server = OPENIM_DOCKER.services['openim-server'];
    expect(config.apiAddress).toBe(`http://openim-server:${server.api}`);
    expect(config.wsAddress).toBe(`ws://openim-server:${server.msgGateway}`);
    expect(arr(service.networks, 'networks')).toEqual([OPENIM_DOCKER.network]);
    expect(arr(service.depends_on, 'depends_on').slice().sort()).toEqual(Object.keys(OPENIM_DOCKER.services).sort());
  });

  it('publishes the port the bridge listens on, and checks health on a path it answers', async () => {
    const config = configFrom(env);
    const published = arr(service.ports, 'ports').map((p) => interpolate(str(p, 'port'), {}));
    expect(published.map((p) => Number(p.split(':').pop()))).toEqual([config.port]);
    const probe = arr(service.healthcheck && obj(service.healthcheck, 'healthcheck').test, 'healthcheck.test').map((s) => str(s, 'test')).join(' ');
    const url = /http:\/\/127\.0\.0\.1:(\d+)(\/\w+)/.exec(probe);
    expect(url && [Number(url[1]), url[2]]).toEqual([config.port, '/readyz']);
    expect(await surface.status('/readyz')).toBe(200);
  });

  it('gives the drain and the shutdown time to finish before the engine kills it', () => {
    const grace = /^(\d+)s$/.exec(str(service.stop_grace_period, 'stop_grace_period'));
    expect(Number(grace?.[1]) * 1000).toBeGreaterThanOrEqual(stopBudgetMs(env));
  });
});

describe('deploy/kubernetes/openim-bridge.yaml', () => {
  const docs = parseAllDocuments(read('deploy/kubernetes/openim-bridge.yaml')).map((d) => d.toJS() as Json);
  const byKind = (kind: string): Obj => {
    const found = docs.filter((d) => obj(d, 'document').kind === kind);
    expect(found).toHaveLength(1);
    return obj(found[0], kind);
  };
  const deployment = byKind('Deployment');
  const podSpec = obj(obj(obj(deployment.spec, 'spec').template, 'template').spec, 'pod spec');
  const container = obj(arr(podSpec.containers, 'containers')[0], 'container');
  const secret = byKind('Secret');
  const envEntries = arr(container.env, 'env').map((e) => obj(e, 'env entry'));
  const secretRefs = arr(container.envFrom, 'envFrom').map((e) => str(obj(obj(e, 'envFrom').secretRef, 'secretRef').name, 'secretRef.name'));
  const env: Record<string, string> = {
    ...Object.fromEntries(secretRefs.flatMap((name) => (obj(secret.metadata, 'metadata').name === name ? Object.entries(obj(secret.stringData, 'stringData')).map(([k, v]) => [k, str(v, k)]) : []))),
    ...Object.fromEntries(envEntries.map((e) => [str(e.name, 'env name'), str(e.value, `${String(e.name)} value`)])),
  };
  const ports = arr(container.ports, 'ports').map((p) => obj(p, 'port'));
  const portByName = (name: string) => ports.find((p) => p.name === name)?.containerPort;

  it('sets only options of the bridge (env, envFrom the Secret, flags), with values its parser accepts', () => {
    expect(secretRefs).toEqual([obj(secret.metadata, 'metadata').name]);
    expect(unknownEnvs(Object.keys(env))).toEqual([]);
    expect(docs.flatMap(unknownFlags)).toEqual([]);
    const config = configFrom(env);
    expect([config.apiAddress, config.wsAddress]).toEqual([`http://${HELM_CHARTS.api}`, `ws://${HELM_CHARTS.msgGateway}`]);
    expect(new URL(config.stateStore).host).toBe(HELM_CHARTS.redis);
  });

  it('opens the port the bridge listens on, and probes readiness on /readyz, liveness on /healthz', async () => {
    const config = configFrom(env);
    expect(ports.map((p) => p.containerPort)).toEqual([config.port]);
    const probe = (key: string) => obj(obj(container[key], key).httpGet, `${key}.httpGet`);
    expect([probe('readinessProbe').path, portByName(str(probe('readinessProbe').port, 'port'))]).toEqual(['/readyz', config.port]);
    expect([probe('livenessProbe').path, portByName(str(probe('livenessProbe').port, 'port'))]).toEqual(['/healthz', config.port]);
    expect(await surface.status('/readyz')).toBe(200);
    expect(await surface.status('/healthz')).toBe(200);
  });

  it('lets a stopping pod leave the endpoints, drain and shut down within terminationGracePeriodSeconds, one pod at a time', () => {
    const preStop = arr(obj(obj(obj(container.lifecycle, 'lifecycle').preStop, 'preStop').exec, 'exec').command, 'command').map((s) => str(s, 'command'));
    expect(preStop[0]).toBe('sleep');
    const budget = Number(preStop[1]) * 1000 + stopBudgetMs(env);
    expect(Number(podSpec.terminationGracePeriodSeconds) * 1000).toBeGreaterThanOrEqual(budget);
    expect(obj(obj(obj(deployment.spec, 'spec').strategy, 'strategy').rollingUpdate, 'rollingUpdate').maxUnavailable).toBe(0);
  });

  it('is scraped on the bridge\'s port and metrics path', async () => {
    const annotations = obj(obj(obj(obj(deployment.spec, 'spec').template, 'template').metadata, 'metadata').annotations, 'annotations');
    expect(Number(annotations['prometheus.io/port'])).toBe(configFrom(env).port);
    expect(annotations['prometheus.io/path']).toBe('/metrics');
    expect(await surface.status('/metrics')).toBe(200);
    expect(docs.flatMap(metricsNamed).filter((m) => !surface.metricNames.has(m))).toEqual([]);
  });

  it('has a Service to the named container port and an ingress to the Service that hashes on the parameter the bridge keys sessions on', async () => {
    const service = byKind('Service');
    const servicePorts = arr(obj(service.spec, 'spec').ports, 'ports').map((p) => obj(p, 'port'));
    expect(servicePorts.map((p) => portByName(str(p.targetPort, 'targetPort')))).toEqual([configFrom(env).port]);
    const ingress = byKind('Ingress');
    const paths = arr(obj(arr(obj(ingress.spec, 'spec').rules, 'rules')[0], 'rule').http && obj(obj(arr(obj(ingress.spec, 'spec').rules, 'rules')[0], 'rule').http, 'http').paths, 'paths').map((p) => obj(p, 'path'));
    for (const p of paths) {
      const backend = obj(obj(p.backend, 'backend').service, 'backend.service');
      expect(backend.name).toBe(obj(service.metadata, 'metadata').name);
      expect(servicePorts.map((sp) => sp.name)).toContain(obj(backend.port, 'port').name);
      // The jssdk opens its WebSocket on the path the ingress routes.
      expect(await upgradeStatus(`${surface.fixture.bridge.wsAddress}${str(p.path, 'path')}?sendID=u1&token=t&platformID=5`)).toBe(101);
    }
    const hashBy = str(obj(obj(ingress.metadata, 'metadata').annotations, 'annotations')['nginx.ingress.kubernetes.io/upstream-hash-by'], 'upstream-hash-by');
    const param = /^\$arg_(\w+)$/.exec(hashBy)?.[1];
    // The same key as deploy/nginx.conf, which test/cluster runs with real nginx.
    expect(read('deploy/nginx.conf')).toContain(`hash $arg_${param} consistent;`);
    const connect = (q: string) => readConnectParams({ url: new URL(`ws://bridge/?${q}`), headers: {}, remoteAddress: '10.0.0.1' });
    expect(connect(`${param}=u1&token=t&platformID=5`)).toMatchObject({ accept: true, context: { sendID: 'u1' } });
    expect(connect('token=t&platformID=5')).toMatchObject({ accept: false, status: 400, reason: `missing ${param}` });
  });
});

describe('deploy/openim-bridge.service (systemd)', () => {
  const unit = read('deploy/openim-bridge.service');
  const envs = [...unit.matchAll(/^Environment=(\w+)=/gm)].map((m) => m[1]!);

  it('sets only options of the bridge (and LOG_FORMAT, which common/logger.ts reads)', () => {
    expect(read('common/logger.ts')).toContain('process.env.LOG_FORMAT');
    expect(unknownEnvs(envs.filter((e) => e !== 'LOG_FORMAT'))).toEqual([]);
  });

  it('waits longer than the drain and the shutdown take before SIGKILL', () => {
    const timeout = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1]);
    expect(timeout * 1000).toBeGreaterThanOrEqual(stopBudgetMs({}));
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('builds on the official node image unless NODE_IMAGE names another, and knows nothing of any machine\'s certificates', () => {
    expect(/^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1]).toMatch(/^node:\d+-/);
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
    expect(dockerfile).not.toMatch(/ca-certificates|NODE_EXTRA_CA_CERTS|cafile|strict-ssl/i);
  });

  it('copies every folder the build compiles (package.json main included), none of them ignored', () => {
    const include = (JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include;
    const copied = [...dockerfile.matchAll(/^COPY (\w+) \1$/gm)].map((m) => m[1]);
    expect(include.filter((dir) => !copied.includes(dir))).toEqual([]);
    expect(include.filter((dir) => ignored.includes(dir))).toEqual([]);
    const main = (JSON.parse(read('package.json')) as { main: string }).main;
    expect(include).toContain(main.replace(/^dist\//, '').split('/')[0]);
  });

  it('runs the entry point the build produces, listening on the bridge\'s default port', () => {
    expect(/^CMD \["node", "dist\/cmd\/main\.js"\]$/m.test(dockerfile)).toBe(true);
    expect(fs.existsSync(path.join(root, 'cmd/main.ts'))).toBe(true);
    expect(Number(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1])).toBe(OPTIONS.port.default);
  });
});
