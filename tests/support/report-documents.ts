import type { Database } from '../../src/db/client.ts';
import { findDocument, writeDocumentIfVersion } from '../../src/db/repositories/document-repository.ts';
import { dialoguesSchema } from '../../src/domain/dialogue.ts';

const sentence = 'Einwohner:innen, Vereine, Schulen und die Verwaltung haben gemeinsam beraten, wie Teilhabe und Zusammenhalt in der Kommune gestärkt werden können. ';
const paragraph = sentence.repeat(4).trim();

/**
 * Replaces a Kommune's Dialogveranstaltungen with events whose descriptions and results hold about
 * `characters` characters of text in paragraphs, within the document's own limits (50 events of
 * 2 × 20,000 characters): how a long or an abusive report is made from stored documents.
 */
export async function fillDialogues(db: Database, kommuneId: string, authorId: string, characters: number): Promise<void> {
  const textOf = (length: number) => {
    const paragraphs: string[] = [];
    for (let used = 0; used + paragraph.length <= length; used += paragraph.length + 2) paragraphs.push(paragraph);
    return paragraphs.join('\n\n');
  };
  const events = [];
  for (let left = characters, index = 0; left > 0 && index < 50; index++) {
    const description = textOf(Math.min(left, 20_000));
    left -= description.length;
    const results = left > 0 ? textOf(Math.min(left, 20_000)) : '';
    left -= results.length;
    events.push({ id: `dialog-${String(index).padStart(4, '0')}`, title: `Dialogveranstaltung ${index + 1}`, description, results });
  }
  const content = dialoguesSchema.parse({ events });
  const stored = await findDocument(db, kommuneId, 'dialogues');
  const written = await writeDocumentIfVersion(db, { kommuneId, kind: 'dialogues' }, content, authorId, stored?.version ?? 0);
  if (!written) throw new Error('Die Dialogveranstaltungen wurden zugleich geändert.');
}
