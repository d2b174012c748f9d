/**
 * A long text shortened for a label (a button's accessible name, a list entry): cut after the last
 * whole word that fits and marked with „…“, never in the middle of a word („… Schul“). A text that
 * fits is returned trimmed and whole; a single word longer than the limit is cut and marked.
 */
export function shortLabel(text: string, max = 40): string {
  const clean = text.trim().replace(/\s+/g, ' ');
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max);
  const lastSpace = room.lastIndexOf(' ');
  const cut = (lastSpace > 0 ? room.slice(0, lastSpace) : room).replace(/[\s,;:.–-]+$/, '');
  return `${cut} …`;
}
