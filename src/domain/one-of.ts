/**
 * Narrows a stored string to one of a known set of values, checked at run time: columns such as a
 * round's status or an invitation's role are plain text in the database, and the answer types the web
 * app derives from the services (src/web/api/from-services/) name the exact set. A value outside the
 * set means broken data; it is reported, never passed on as if it were known.
 */
export function oneOf<const T extends string>(values: readonly T[], value: string, what: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new Error(`Unbekannter Wert für ${what}: „${value}“`);
}
