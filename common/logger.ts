/**
 * Structured JSON logs (pino). Every logger redacts tokens: known keys by path, and any
 * token-looking text inside messages and string fields.
 */
import pino, { type Logger } from 'pino';
import { redactText, REDACTED } from './redact';

export type { Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const REDACT_PATHS = ['token', '*.token', '*.*.token', 'authorization', '*.authorization', 'headers.token', 'secret', '*.secret', 'adminToken', '*.adminToken'];

/** Human-readable output when attached to a terminal (pino-pretty), JSON otherwise or with LOG_FORMAT=json. */
function defaultDestination(): pino.DestinationStream | undefined {
  if (!process.stdout.isTTY || process.env.LOG_FORMAT === 'json') return undefined;
  return pino.transport({ target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'svc' } }) as pino.DestinationStream;
}

export function createLogger(level: LogLevel, destination: pino.DestinationStream | undefined = defaultDestination()): Logger {
  return pino(
    {
      level,
      base: { svc: 'openim-bridge' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: {
        log(obj) {
          for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') obj[k] = redactText(v);
          return obj;
        },
      },
    },
    destination,
  );
}
