import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { writeDocumentIfVersion } from '../db/repositories/document-repository.ts';
import { findKommuneBySlug } from '../db/repositories/kommune-repository.ts';
import { loadActor } from '../db/repositories/member-repository.ts';
import { findUserByEmail } from '../db/repositories/user-repository.ts';
import { saveAnswer } from './answer-questions.ts';
import { getRoundResults } from './compute-results.ts';
import { defaultProgrammeTitle } from '../domain/report.ts';
import { getReport, renderReport } from './generate-report.ts';
import { loadDemo } from './load-demo.ts';
import { startRound } from './manage-rounds.ts';

const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
const sectionTitles = [
  defaultProgrammeTitle,
  '1. Ausgangslage in der Stadt Musterstadt',
  '2. Umsetzung des Modellprojektes in der Stadt Musterstadt',
  '3. Ergebnisse Selbstcheck-Fragebogen',
  '4. Ergebnisse Selbstcheck-Workshop',
  '5. Ausblick und Perspektiven zur strategischen Weiterarbeit',
];

let runtime: TestRuntime;
let folder: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  await loadDemo(runtime.services);
  folder = mkdtempSync(path.join(tmpdir(), 'weltoffen-report-'));
});
afterAll(async () => {
  await runtime?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Runs a poppler tool; its warnings about Typst's metadata go nowhere, its output is returned. */
const tool = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** The decompressed streams of a PDF, where Typst keeps the structure tree and metadata. */
function streamsOf(pdf: Buffer): Buffer[] {
  const text = pdf.toString('latin1');
  const found: Buffer[] = [];
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    try {
      found.push(inflateSync(pdf.subarray(start, end)));
    } catch {
      // Not a deflated stream (fonts, images): nothing to read there.
    }
  }
  return found;
}

/** Positions of each expected text in order; -1 where one is missing or out of order. */
function positionsInOrder(text: string, expected: readonly string[]): number[] {
  let from = 0;
  return expected.map((entry) => {
    const found = text.indexOf(entry, from);
    if (found >= 0) from = found + entry.length;
    return found;
  });
}

const normalise = (text: string) => text.replace(/\u00a0/g, ' ').replace(/-\n/g, '-').replace(/\s+/g, ' ');

describe('Abschlussbericht of the demo', () => {
  it('the model has every section with content from the demo', async () => {
    const { report, roundNumber } = await getReport(runtime.services, operator, 'musterstadt');
    expect(roundNumber).toBe(1);
    expect(report.sections.map((section) => (section.number ? `${section.number}. ${section.title}` : section.title))).toEqual(sectionTitles);
  });

  it('PDF: tagged PDF/UA-1 with title and language, its text in reading order', async () => {
    const file = await renderReport(runtime.services, operator, 'musterstadt', 'pdf');
    expect(file.fileName).toMatch(/^abschlussbericht-musterstadt-runde-1-\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = path.join(folder, 'bericht.pdf');
    writeFileSync(pdf, file.body);
    const info = tool('pdfinfo', [pdf]);
    expect(info).toMatch(/^Title:\s+Abschlussbericht Stadt Musterstadt$/m);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1])).toBeGreaterThanOrEqual(6);
    const metadata = tool('pdfinfo', ['-meta', pdf]);
    expect(metadata).toContain('pdfuaid:part');
    // Language, bookmarks and the structure tags of real headings, tables and the figure.
    const raw = Buffer.concat([file.body, ...streamsOf(file.body)]).toString('latin1');
    expect(raw).toMatch(/\/Lang\s*\(de-DE\)/);
    expect(raw).toContain('/Outlines');
    for (const tag of ['H1', 'H2', 'Table', 'TH', 'Figure', 'L', 'LI']) expect(raw, tag).toMatch(new RegExp(`/S\\s*/${tag}\\b`));
    expect(raw).toMatch(/\/Title\s*\(3\. Ergebnisse Selbstcheck-Fragebogen\)/);
    const fonts = tool('pdffonts', [pdf]);
    expect(fonts).toContain('SourceSans3');
    expect(fonts.split('\n').slice(2).filter(Boolean).every((line) => /\syes\s+yes\s+yes\s/.test(line))).toBe(true);
    const text = normalise(tool('pdftotext', ['-layout', pdf, '-']));
    const order = positionsInOrder(text, [
      'Abschlussbericht',
      'Stadt Musterstadt',
      ...sectionTitles.map((title) => title.replace(/^(\d)\. /, '$1. ')),
    ]);
    expect(order.every((position) => position >= 0), JSON.stringify(order)).toBe(true);
    expect(text).toContain('Die Stadt Musterstadt hat die Module 1 (Selbstcheck Weltoffene Kommune), 2 (Dialogveranstaltungen) und 3');
    expect(text).toContain('Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.');
    expect(text).toContain('Legende – Wurde das Kriterium erfüllt?');
  });

  it('PDF: the same data gives the same file, byte for byte (fonts from the project, date from the report)', async () => {
    const [first, second] = [await renderReport(runtime.services, operator, 'musterstadt', 'pdf'), await renderReport(runtime.services, operator, 'musterstadt', 'pdf')];
    expect(first.body.length).toBeGreaterThan(50_000);
    expect(Buffer.compare(first.body, second.body)).toBe(0);
  });

  it('DOCX: Word heading styles in the order of the report, German language, a repeated table header, the chart with alt text', async () => {
    const file = await renderReport(runtime.services, operator, 'musterstadt', 'docx');
    const zip = await JSZip.loadAsync(file.body);
    const document = await zip.file('word/document.xml')!.async('string');
    const styles = await zip.file('word/styles.xml')!.async('string');
    const headings = [...document.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<w:pStyle w:val="Heading1"\/>(?:(?!<\/w:p>).)*?<\/w:p>/g)].map((match) =>
      [...match[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((part) => part[1]).join(''),
    );
    expect(headings).toEqual(sectionTitles);
    expect(document).toContain('<w:pStyle w:val="Heading2"/>');
    expect(styles).toContain('w:lang w:val="de-DE"');
    expect(document).toContain('<w:tblHeader/>');
    expect(document).toMatch(/<wp:docPr [^>]*descr="Netzdiagramm der Ergebnisse je Handlungsfeld: 1\. Management und Steuerung/);
    expect(Object.keys(zip.files).some((name) => name.startsWith('word/media/') && name.endsWith('.png'))).toBe(true);
  });

  it('DOCX: a table of contents field after the title page lists every section, and LibreOffice shows it', async () => {
    const file = await renderReport(runtime.services, operator, 'musterstadt', 'docx');
    const document = await (await JSZip.loadAsync(file.body)).file('word/document.xml')!.async('string');
    expect(/<w:instrText[^>]*>\s*TOC [^<]*\\o (?:"|&quot;)1-2/.test(document)).toBe(true);
    const entries = [...document.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<w:pStyle w:val="TOC1"\/>(?:(?!<\/w:p>).)*?<\/w:p>/g)].map((match) =>
      [...match[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((part) => part[1]).join('').trim(),
    );
    expect(entries).toEqual(sectionTitles);
    const docx = path.join(folder, 'inhalt.docx');
    writeFileSync(docx, file.body);
    execFileSync('soffice', [`-env:UserInstallation=file://${folder}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', folder, docx], { timeout: 120_000, stdio: 'pipe' });
    // Page 2 is the table of contents: „Inhalt“ and every section title, before the report itself.
    const contentsPage = normalise(tool('pdftotext', ['-f', '2', '-l', '2', path.join(folder, 'inhalt.pdf'), '-']));
    expect(contentsPage).toContain('Inhalt');
    for (const title of sectionTitles) expect(contentsPage).toContain(title);
  });

  it('DOCX converts with LibreOffice and keeps its text', async () => {
    const file = await renderReport(runtime.services, operator, 'musterstadt', 'docx');
    const docx = path.join(folder, 'bericht.docx');
    writeFileSync(docx, file.body);
    execFileSync('soffice', [`-env:UserInstallation=file://${folder}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', folder, docx], { timeout: 120_000, stdio: 'pipe' });
    const text = normalise(tool('pdftotext', [path.join(folder, 'bericht.pdf'), '-']));
    const order = positionsInOrder(text, sectionTitles);
    expect(order.every((position) => position >= 0), JSON.stringify(order)).toBe(true);
  });

  it('HTML: one accessible file with the same sections', async () => {
    const file = await renderReport(runtime.services, operator, 'musterstadt', 'html');
    const html = file.body.toString('utf8');
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<title>Abschlussbericht Stadt Musterstadt</title>');
    for (const title of sectionTitles) expect(html).toContain(`<h2>${title}</h2>`);
    expect(html).toMatch(/<div role="img" aria-label="Netzdiagramm der Ergebnisse je Handlungsfeld/);
  });

  it('text typed into a document is set as text in every format, never as markup', async () => {
    const current = await getReport(runtime.services, operator, 'musterstadt');
    expect(current.report.sections.length).toBe(6);
    const kommune = await findKommuneBySlug(runtime.services.db, 'musterstadt');
    const author = await findUserByEmail(runtime.services.db, 'integrationsbuero@musterstadt.example');
    await writeDocumentIfVersion(runtime.services.db, { kommuneId: kommune!.id, kind: 'report' }, { preamble: '#set page(width: 1cm) <script>alert(1)</script> ] ) }' }, author!.id, 0);
    const html = (await renderReport(runtime.services, operator, 'musterstadt', 'html')).body.toString('utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const pdf = path.join(folder, 'injection.pdf');
    writeFileSync(pdf, (await renderReport(runtime.services, operator, 'musterstadt', 'pdf')).body);
    expect(normalise(tool('pdftotext', [pdf, '-']))).toContain('#set page(width: 1cm) <script>alert(1)</script> ] ) }');
  });
});

// Last in this file: it starts round 2 of the demo, which the tests above do not expect.
describe('which round the report shows', () => {
  /** Paragraphs and quotes of a section, as a reader reads them. */
  const sentencesOf = (report: Awaited<ReturnType<typeof getReport>>['report'], id: string) =>
    report.sections.find((section) => section.id === id)!.blocks.flatMap((block) => (block.kind === 'paragraph' || block.kind === 'quote' ? [block.inlines.map((run) => run.text).join('')] : []));

  it('starting round 2 keeps the closed round 1 in the default report, with its results and workshop; round 2 chosen reads as half-answered and „vorläufig“', async () => {
    const before = await getReport(runtime.services, operator, 'musterstadt');
    expect(before.roundNumber).toBe(1);
    const koordination = await loadActor(runtime.services.db, (await findUserByEmail(runtime.services.db, 'integrationsbuero@musterstadt.example'))!.id);
    await startRound(runtime.services, koordination, 'musterstadt', { workedFieldKeys: ['1', '2', '3', '4', '5', '6', '7'], periodStart: '2027-01-11', periodEnd: '2027-03-31', participants: '' });
    await saveAnswer(runtime.services, koordination, 'musterstadt', 2, '1.1.1', { value: 'ja', comment: '', evidence: '', expectedVersion: 0 });

    // The default is still round 1, and its report is exactly what it was.
    const after = await getReport(runtime.services, operator, 'musterstadt');
    expect(after.roundNumber).toBe(1);
    // (The chart's SVG carries ECharts' instance counter in its class names; its numbers are in the alt text.)
    const withoutSvg = (report: typeof before.report) => report.sections.map((section) => ({ ...section, blocks: section.blocks.map((block) => (block.kind === 'chart' ? { ...block, svg: '' } : block)) }));
    expect(withoutSvg(after.report)).toEqual(withoutSvg(before.report));
    expect(after.report.titlePage.subtitle).toBe('Selbstcheck Weltoffene Kommune · Runde 1');
    expect(sentencesOf(after.report, 'fragebogen')[0]).toMatch(/^Die Stadt Musterstadt hat alle sieben Handlungsfelder des Selbstcheck-Fragebogens bearbeitet\. Alle \d+ Leitfragen sind beantwortet;/);
    expect(sentencesOf(after.report, 'workshop')).not.toContain('Ein Selbstcheck-Workshop ist noch nicht dokumentiert.');
    const file = await renderReport(runtime.services, operator, 'musterstadt', 'html');
    expect(file.fileName).toMatch(/^abschlussbericht-musterstadt-runde-1-/);

    // Round 2 when chosen: one answer, marked „vorläufig“ where a printed copy shows it, the value's narrow basis said.
    const chosen = await getReport(runtime.services, operator, 'musterstadt', 2);
    const results = await getRoundResults(runtime.services, operator, 'musterstadt', 2);
    const questions = results.fields.reduce((sum, field) => sum + field.questionCount, 0);
    const open = results.fields.reduce((sum, field) => sum + field.openCriterionCount, 0);
    expect(chosen.roundNumber).toBe(2);
    expect(chosen.report.titlePage.subtitle).toBe('Selbstcheck Weltoffene Kommune · Runde 2 · vorläufig – Runde noch nicht abgeschlossen');
    const section = sentencesOf(chosen.report, 'fragebogen');
    expect(section.slice(0, 5)).toEqual([
      'Vorläufig: Die Selbstcheck-Runde 2 ist noch nicht abgeschlossen. Alle Ergebnisse in diesem Abschnitt sind vorläufig und können sich bis zum Abschluss der Runde ändern.',
      `In Runde 2 sind alle sieben Handlungsfelder zur Bearbeitung vorgesehen. Beantwortet ist eine von ${questions} Leitfragen; an der Beantwortung hat sich eine Person beteiligt. Für sechs Handlungsfelder liegt noch kein Wert vor.`,
      'Die Tabelle „Einschätzung je Kriterium“ weiter unten zeigt, inwiefern die Stadt Musterstadt nach dieser Selbsteinschätzung die Kriterien der sieben Handlungsfelder erfüllt. Das vorläufige Gesamtergebnis der Selbsteinschätzung lautet:',
      '„Die Kommune ist weltoffen aufgestellt.“ (vorläufig)',
      `Das entspricht einem vorläufigen Gesamtwert von 100\u00a0%. Der Gesamtwert beruht allein auf Handlungsfeld 1 (Management und Steuerung), dem einzigen Handlungsfeld mit Wert. Das Ergebnis ist vorläufig, weil die Runde noch nicht abgeschlossen ist und noch ${open} Kriterien offen sind (ohne Antwort und ohne festgelegte Einschätzung). Zur Einordnung des Gesamtergebnisses dient die folgende Auswertungsskala:`,
    ]);
    expect(open).toBeGreaterThan(12);
    expect(sentencesOf(chosen.report, 'workshop')).toEqual(['Ein Selbstcheck-Workshop ist noch nicht dokumentiert.']);
    const criteria = chosen.report.sections.find((entry) => entry.id === 'fragebogen')!.blocks.find((block) => block.kind === 'table' && block.caption === 'Einschätzung je Kriterium');
    const ratings = criteria?.kind === 'table' ? criteria.rows.flatMap((row) => (row.kind === 'row' ? [row.cells[1]] : [])) : [];
    expect(ratings.filter((rating) => rating === '? offen').length).toBe(open);
    expect(ratings).not.toContain('– keine Einschätzung möglich');
  });
});
