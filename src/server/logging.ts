import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';

/**
 * The server's one logger: one JSON object per line on stdout (time, level, msg, pid, and the
 * request id of the request it belongs to), or a readable line per event for a person at a terminal.
 * What may go into a message is decided by its callers (log-redaction.ts): never cookies, query
 * strings, bodies, addresses, names, tokens or passwords.
 */

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];
export type LogFormat = 'json' | 'text';
export type { Logger };

/** Where the lines go: stdout by default; tests pass their own. */
export interface LogDestination {
  write(line: string): void;
}

const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` as part of one request: every line logged meanwhile (also by services) carries its id. */
export function inRequestScope<T>(requestId: string, work: () => T): T {
  return requestScope.run({ requestId }, work);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/**
 * A proxy's X-Request-Id is taken over when it is well-formed (letters, digits and . _ : -, at
 * most 128 characters), so that the proxy's log and ours share it; otherwise a new UUID.
 */
export function requestIdFrom(header: string | undefined): string {
  return header && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();
}

/** Text by default only where a person reads it (a terminal); JSON for log collectors and pipes. */
export function defaultLogFormat(stdoutIsTty = Boolean(process.stdout.isTTY)): LogFormat {
  return stdoutIsTty ? 'text' : 'json';
}

const stdout: LogDestination = { write: (line) => void process.stdout.write(line) };

export function createLogger(options: { level: LogLevel; format: LogFormat; destination?: LogDestination }): Logger {
  const destination = options.destination ?? stdout;
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    options.format === 'json' ? destination : { write: (line: string) => destination.write(textLine(line)) },
  );
}

/** A service's log function (ServiceContext.log) that writes through the logger. */
export function serviceLog(logger: Logger): (message: string, level?: 'info' | 'warn' | 'error') => void {
  return (message, level = 'info') => logger[level](message);
}

const hiddenInText = new Set(['time', 'level', 'msg', 'pid']);

/** One JSON line of pino as a line for people: "12:00:01 INFO  message  key=value …", an error's frames below it. */
export function textLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = String(entry.level ?? '').toUpperCase().padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key, value]) => !hiddenInText.has(key) && typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`);
  const [firstLine, ...more] = String(entry.msg ?? '').split('\n');
  const head = [time, level, firstLine, ...fields].filter(Boolean).join('  ');
  return [head, ...more].join('\n') + '\n';
}
