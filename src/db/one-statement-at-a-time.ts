import type { Database } from './client.ts';

/**
 * Databases that run one statement at a time for the whole process: PGlite (one WebAssembly instance
 * on the server's thread). Writes that arrive together are worth grouping into one statement there
 * (decision 024); on PostgreSQL every connection runs its own.
 */
const oneAtATime = new WeakSet<object>();

export function markOneStatementAtATime(db: Database): void {
  oneAtATime.add(db);
}

export function runsOneStatementAtATime(db: Database): boolean {
  return oneAtATime.has(db);
}
