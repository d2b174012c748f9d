import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ServerConfig } from '../server/config.ts';
import { DataDirLockedError, openRuntime, type Runtime } from '../server/wiring/runtime.ts';
import { connectToServer, ServerIsRunning } from './command-client.ts';
import { commandSocketPath } from './command-protocol.ts';
import { CliError, type CliIo } from './io.ts';

/** Where a command gets its database and services: opened for it, or lent by the running server. */
export interface RuntimeProvider {
  /** True when the command runs inside the server (which migrated the database at its start). */
  readonly isServer: boolean;
  /** PID of the process whose runtime it is. */
  readonly pid: number;
  /**
   * Runs work with a runtime; `isQuiet` keeps messages of auth and services out of the output;
   * `needsExistingDatabase` refuses to create an embedded database (commands that only read or
   * act on existing data: a missing one means DATA_DIR points elsewhere, not that one is wanted).
   */
  use<T>(work: (runtime: Runtime) => Promise<T>, options?: { isQuiet?: boolean; needsExistingDatabase?: boolean }): Promise<T>;
}

/** True when the data directory holds a PGlite database (its folder with PG_VERSION, as PGlite writes it). */
export function hasEmbeddedDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'));
}

function noDatabaseMessage(dataDir: string): string {
  return (
    `In ${dataDir} gibt es keine Datenbank. Ist DATA_DIR gesetzt? ` +
    'Geben Sie das Datenverzeichnis des Dienstes an, zum Beispiel „env DATA_DIR=/var/lib/weltoffen weltoffen …“ (siehe docs/operations.md). ' +
    'Eine neue Datenbank legen „weltoffen migrate“ und „weltoffen serve“ an.'
  );
}

/**
 * The command opens the database itself and closes it afterwards. When the embedded database is held
 * by a server that listens for commands, it throws ServerIsRunning, and main hands the command over.
 */
export function ownRuntime(config: ServerConfig, io: CliIo): RuntimeProvider {
  return {
    isServer: false,
    pid: process.pid,
    async use(work, options = {}) {
      if (options.needsExistingDatabase && !config.databaseUrl && !hasEmbeddedDatabase(config.dataDir)) throw new CliError(noDatabaseMessage(config.dataDir));
      let runtime: Runtime;
      try {
        // Like the runtime's own default: information on stdout, warnings and errors on stderr.
        runtime = await openRuntime(config, options.isQuiet ? () => {} : (message, level = 'info') => (level === 'info' ? io.stdout : io.stderr)(`${message}\n`));
      } catch (error) {
        if (error instanceof DataDirLockedError && !config.databaseUrl) {
          const socket = await connectToServer(commandSocketPath(config.dataDir), config.dataDir);
          if (socket) throw new ServerIsRunning(socket);
        }
        throw error;
      }
      try {
        return await work(runtime);
      } finally {
        await runtime.close();
      }
    },
  };
}

/** The running server's runtime, lent to a command that came over the command socket; it stays open. */
export function serverRuntime(runtime: Runtime): RuntimeProvider {
  return { isServer: true, pid: process.pid, use: (work) => work(runtime) };
}
