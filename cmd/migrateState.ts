/**
 * `npm run state:migrate -- --from ./db --to redis://host:port/0 [--prefix openim-bridge:]`:
 * copies a LevelDB state store (a bridge's --openIMDbDir) into Redis. Run it with the bridge
 * stopped (LevelDB admits one process); it may be run again.
 */
import { openLevelStateStore } from '../state/levelStateStore';
import { openRedisStateStore } from '../state/redisStateStore';
import { migrateState } from '../state/migrate';
import { OPTIONS } from '../common/config';

const USAGE = 'usage: npm run state:migrate -- --from <openIMDbDir> --to redis://[user:pass@]host:port/db [--prefix <state_store_prefix>]';

function args(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(from|to|prefix)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new Error(`unexpected argument "${argv[i]}"\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value\n${USAGE}`);
    out.set(m[1]!, value);
  }
  return out;
}

export async function main(argv: readonly string[]): Promise<number> {
  let a: Map<string, string>;
  try {
    a = args(argv);
    if (!a.get('from') || !/^rediss?:\/\//.test(a.get('to') ?? '')) throw new Error(USAGE);
  } catch (err) {
    process.stderr.write(`state:migrate: ${(err as Error).message}\n`);
    return 2;
  }
  const from = await openLevelStateStore(a.get('from')!);
  try {
    const to = await openRedisStateStore({ url: a.get('to')!, prefix: a.get('prefix') ?? OPTIONS.stateStorePrefix.default, commandTimeoutMs: 10_000 });
    try {
      const r = await migrateState(from, to);
      process.stdout.write(`${JSON.stringify({ event: 'migrated', from: from.name, to: to.name, ...r })}\n`);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`state:migrate: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
