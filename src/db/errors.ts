/**
 * What PostgreSQL (and PGlite) say about a failed statement: the SQL state and, where one was
 * involved, the constraint. drizzle wraps the driver's error in its own (`cause`); both drivers set
 * `code`, `severity` and `constraint` alike.
 */
export interface DatabaseErrorInfo {
  code: string;
  constraint?: string;
}

/** The SQL state and constraint of a database error, looking through drizzle's wrapper; undefined for other errors. */
export function databaseErrorOf(error: unknown): DatabaseErrorInfo | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, constraint, severity } = current as { code?: unknown; constraint?: unknown; severity?: unknown };
    // `severity` tells a server's error from Node's own codes such as EPIPE.
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string') {
      return typeof constraint === 'string' ? { code, constraint } : { code };
    }
  }
  return undefined;
}

/** Whether the error is a unique violation (SQL state 23505), of the named constraint when one is given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const info = databaseErrorOf(error);
  return info?.code === '23505' && (constraint === undefined || info.constraint === constraint);
}
