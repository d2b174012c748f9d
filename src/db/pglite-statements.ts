import type { messages as pgMessages, PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { parse, protocol } from '@electric-sql/pglite';

type BackendMessage = pgMessages.BackendMessage;
type CommandCompleteMessage = pgMessages.CommandCompleteMessage;
type DataRowMessage = pgMessages.DataRowMessage;
type RowDescriptionMessage = pgMessages.RowDescriptionMessage;
type Parser = (text: string, typeId?: number) => unknown;

/**
 * Prepared statements for PGlite (decision 021). PGlite's `query` sends an unnamed statement: the
 * embedded PostgreSQL parses, analyses and plans it again on every call (for a save, 0.7 of its
 * 1.0 ms), in six calls into WebAssembly. This keeps each parameterised statement text prepared under
 * a name of its own and runs it with one call (bind, describe, execute, sync): PostgreSQL then plans
 * it as it plans any prepared statement, choosing a generic plan only where that is no dearer than
 * planning per call (`plan_cache_mode = auto`).
 *
 * The results are PGlite's own: the same serialisers for parameters (by the types PostgreSQL
 * describes), the same parsers and row modes for results, the same locks (a statement outside a
 * transaction waits for any open one; inside one, it runs in it), the same errors. Statements
 * without parameters (schema changes, BEGIN/COMMIT, migrations) keep PGlite's own path.
 */

/** Prepared statements kept at most; the least recently used one is closed beyond that. */
export const preparedStatementLimit = 500;

interface Prepared {
  name: string;
  /** The parameter types PostgreSQL inferred, for PGlite's serialisers. */
  parameterTypes: number[];
}

/** PGlite's members this relies on (public in JavaScript, marked internal in its types). */
interface PgliteInternals {
  _checkReady(): Promise<void>;
  _runExclusiveQuery<T>(work: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(work: () => Promise<T>): Promise<T>;
  serializers: Record<number, (value: unknown) => string>;
  parsers: Record<number, (value: string, typeId?: number) => unknown>;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/**
 * The result of one statement from its messages, as PGlite's `parseResults` gives it, without
 * copying every parser of PGlite into a new object per call (drizzle passes parsers of its own with
 * each query; that copy was 6 % of a save's CPU).
 */
export function readResult<T>(messages: BackendMessage[], parsers: Record<number, Parser>, options: QueryOptions | undefined): Results<T> {
  const own = options?.parsers as Record<number, Parser> | undefined;
  const value = (text: string | null, type: number) => {
    if (text === null) return null;
    const parser = own?.[type] ?? parsers[type];
    return parser ? parser(text, type) : text;
  };
  let fields: { name: string; dataTypeID: number }[] = [];
  const rows: unknown[] = [];
  for (const message of messages) {
    if (message.name === 'rowDescription') {
      fields = (message as RowDescriptionMessage).fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID }));
    } else if (message.name === 'dataRow') {
      const cells = (message as DataRowMessage).fields as (string | null)[];
      if (options?.rowMode === 'array') rows.push(cells.map((cell, index) => value(cell, fields[index]!.dataTypeID)));
      else {
        const row: Record<string, unknown> = {};
        cells.forEach((cell, index) => (row[fields[index]!.name] = value(cell, fields[index]!.dataTypeID)));
        rows.push(row);
      }
    } else if (message.name === 'commandComplete') {
      // The tag ends in the row count where it has one („UPDATE 3“, „INSERT 0 5“), as in PGlite.
      const parts = (message as CommandCompleteMessage).text.split(' ');
      const count = Number.parseInt(parts.at(-1)!, 10);
      const command = parts[0]!;
      const affected = ['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(command) ? count : 0;
      return { rows: rows as T[], fields, command, affectedRows: affected, ...(Number.isNaN(count) ? {} : { rowCount: count }) } as Results<T>;
    }
  }
  return { rows: rows as T[], fields, affectedRows: 0 } as Results<T>;
}

/** PostgreSQL refuses a prepared statement whose result columns changed under it (a schema change). */
function isStalePlan(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}

export class PreparedStatements {
  readonly #client: PGlite & PgliteInternals;
  readonly #statements = new Map<string, Prepared>();
  #counter = 0;
  /** How many statements were prepared (parsed and described) so far (the tests read it). */
  prepared = 0;

  constructor(client: PGlite) {
    this.#client = client as PGlite & PgliteInternals;
  }

  /** Runs `text` as a prepared statement; the caller holds PGlite's query lock. */
  async #run<T>(text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean): Promise<Results<T>> {
    const client = this.#client;
    let statement = this.#statements.get(text);
    if (statement) {
      // Most recently used last: the first entry is the one to close when the limit is reached.
      this.#statements.delete(text);
      this.#statements.set(text, statement);
    } else {
      statement = await this.#prepare(text, options);
    }
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const type = statement.parameterTypes[index]!;
      const serialize = options?.serializers?.[type] ?? client.serializers[type];
      return serialize ? serialize(value) : String(value);
    });
    let messages;
    try {
      messages = await client.execProtocolStream(
        concat([protocol.serialize.bind({ statement: statement.name, values: values as string[] }), protocol.serialize.describe({ type: 'P' }), protocol.serialize.execute({}), protocol.serialize.sync()]),
        { syncToFs: false },
      );
    } catch (error) {
      Object.assign(error as object, { query: text, params, queryOptions: options });
      throw error;
    }
    if (!inTransaction) await client.syncToFs();
    return readResult<T>(messages, client.parsers, options);
  }

  async #prepare(text: string, options: QueryOptions | undefined): Promise<Prepared> {
    const client = this.#client;
    if (this.#statements.size >= preparedStatementLimit) {
      const [oldestText, oldest] = this.#statements.entries().next().value!;
      this.#statements.delete(oldestText);
      await this.#close([oldest.name]);
    }
    const name = `weltoffen_${++this.#counter}`;
    let messages;
    try {
      messages = await client.execProtocolStream(
        concat([protocol.serialize.parse({ name, text, types: options?.paramTypes }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]),
        { syncToFs: false },
      );
    } catch (error) {
      Object.assign(error as object, { query: text, queryOptions: options });
      throw error;
    }
    const prepared = { name, parameterTypes: parse.parseDescribeStatementResults(messages) };
    this.#statements.set(text, prepared);
    this.prepared++;
    return prepared;
  }

  /**
   * Closes every kept statement, so the next call of each is parsed anew: after migrations, where a
   * changed column type would leave a kept statement with its old parameter types.
   */
  async reset(): Promise<void> {
    const names = [...this.#statements.values()].map((statement) => statement.name);
    this.#statements.clear();
    if (names.length === 0) return;
    await this.#client._runExclusiveQuery(() => this.#close(names));
  }

  /** Closes prepared statements by name; the caller holds PGlite's query lock. */
  async #close(names: string[]): Promise<void> {
    await this.#client.execProtocolStream(concat([...names.map((name) => protocol.serialize.close({ type: 'S', name })), protocol.serialize.sync()]), { syncToFs: false });
  }

  /** Runs `text` prepared; once more, freshly prepared, when a schema change made its plan stale. */
  async run<T>(text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean): Promise<Results<T>> {
    try {
      return await this.#run<T>(text, params, options, inTransaction);
    } catch (error) {
      const stale = this.#statements.get(text);
      if (!isStalePlan(error) || !stale || inTransaction) throw error;
      this.#statements.delete(text);
      await this.#close([stale.name]);
      return this.#run<T>(text, params, options, inTransaction);
    }
  }

  /** Whether a call can take this path: parameters, and nothing PGlite's own path treats specially. */
  static applies(params: unknown[] | undefined, options: QueryOptions | undefined): params is unknown[] {
    // Given parameter types would have to be part of the key: such calls (none in this code) keep PGlite's path.
    return Array.isArray(params) && params.length > 0 && !options?.blob && !options?.onNotice && !options?.paramTypes;
  }
}

/**
 * Makes `client.query` and the `query` of every transaction's object run parameterised statements
 * prepared. Install it before anything else wraps these methods (the read cache and the timing
 * wrap the result, and so still see every statement).
 */
export function usePreparedStatements(client: PGlite): PreparedStatements {
  const statements = new PreparedStatements(client);
  const internals = client as PGlite & PgliteInternals;
  const query = client.query.bind(client);
  client.query = (async <T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> => {
    if (!PreparedStatements.applies(params, options)) return query<T>(text, params, options);
    await internals._checkReady();
    // As PGlite's own query: wait for an open transaction to end, then for the query lock.
    return internals._runExclusiveTransaction(() => internals._runExclusiveQuery(() => statements.run<T>(text, params, options, false)));
  }) as typeof client.query;
  const transaction = client.transaction.bind(client);
  client.transaction = (<T>(work: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = (async <R>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<R>> => {
        if (!PreparedStatements.applies(params, options)) return txQuery<R>(text, params, options);
        if (tx.closed) throw new Error('Transaction is closed');
        return internals._runExclusiveQuery(() => statements.run<R>(text, params, options, true));
      }) as typeof tx.query;
      return work(tx);
    })) as typeof client.transaction;
  return statements;
}
