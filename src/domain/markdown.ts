/**
 * The small, safe text markup of long texts (Entwicklungspotenziale, Ausgangslage, Ausblick):
 * paragraphs, bullet and numbered lists, quotes, sub-headings („## Überschrift“), *emphasis* and
 * **strong**. Text is parsed into a tree that the web app, the PDF and the DOCX render with their own
 * means; no HTML is ever produced from user text, so nothing can be injected.
 */

export type Inline = { kind: 'text'; text: string } | { kind: 'emphasis'; text: string } | { kind: 'strong'; text: string };

export type Block =
  | { kind: 'paragraph'; lines: Inline[][] }
  | { kind: 'bullets'; items: Inline[][] }
  | { kind: 'numbers'; items: Inline[][] }
  | { kind: 'quote'; lines: Inline[][] }
  /**
   * A sub-heading: plain text only (emphasis markers are dropped). It has no level of its own: a
   * renderer puts it one level below the heading it stands under, so the outline never skips a level.
   */
  | { kind: 'heading'; text: string };

/** Splits a line into plain, *emphasised* and **strong** runs; unmatched markers stay as text. */
export function parseInline(line: string): Inline[] {
  const result: Inline[] = [];
  const pattern = /\*\*([^*]+)\*\*|\*([^*]+)\*/g;
  let last = 0;
  for (const match of line.matchAll(pattern)) {
    if (match.index > last) result.push({ kind: 'text', text: line.slice(last, match.index) });
    if (match[1] !== undefined) result.push({ kind: 'strong', text: match[1] });
    else result.push({ kind: 'emphasis', text: match[2]! });
    last = match.index + match[0].length;
  }
  if (last < line.length) result.push({ kind: 'text', text: line.slice(last) });
  return result;
}

const bullet = /^\s*[-•*]\s+(.*)$/;
const numbered = /^\s*\d{1,3}[.)]\s+(.*)$/;
const quote = /^\s*>\s?(.*)$/;
// One to six '#' and a space, as in Markdown; all give the same (one) level of sub-heading.
const heading = /^\s*#{1,6}\s+(\S.*)$/;

/** Parses text in the markup into blocks. Blank lines separate paragraphs. */
export function parseMarkup(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let current: Block | null = null;
  const close = () => {
    if (current) blocks.push(current);
    current = null;
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      close();
      continue;
    }
    const asBullet = bullet.exec(line);
    const asNumber = numbered.exec(line);
    const asQuote = quote.exec(line);
    const asHeading = heading.exec(line);
    const headingText = asHeading ? plainText(parseInline(asHeading[1]!.replace(/(^|\s+)#+$/, ''))).trim() : '';
    if (headingText) {
      // A heading is a block of its own line: whatever came before ends, whatever follows starts anew.
      close();
      blocks.push({ kind: 'heading', text: headingText });
    } else if (asBullet) {
      if (current?.kind !== 'bullets') close();
      current ??= { kind: 'bullets', items: [] };
      (current as Extract<Block, { kind: 'bullets' }>).items.push(parseInline(asBullet[1]!));
    } else if (asNumber) {
      if (current?.kind !== 'numbers') close();
      current ??= { kind: 'numbers', items: [] };
      (current as Extract<Block, { kind: 'numbers' }>).items.push(parseInline(asNumber[1]!));
    } else if (asQuote) {
      if (current?.kind !== 'quote') close();
      current ??= { kind: 'quote', lines: [] };
      (current as Extract<Block, { kind: 'quote' }>).lines.push(parseInline(asQuote[1]!));
    } else {
      if (current?.kind !== 'paragraph') close();
      current ??= { kind: 'paragraph', lines: [] };
      (current as Extract<Block, { kind: 'paragraph' }>).lines.push(parseInline(line.trim()));
    }
  }
  close();
  return blocks;
}

/** The plain text of inline runs, without markers (for alt texts, search, plain exports). */
export function plainText(runs: readonly Inline[]): string {
  return runs.map((run) => run.text).join('');
}
