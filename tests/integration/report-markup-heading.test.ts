import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMarkup } from '../../src/domain/markdown.ts';
import type { Report } from '../../src/domain/report.ts';
import { renderReportDocx } from '../../src/report/docx-report.ts';
import { renderReportHtml } from '../../src/report/html-report.ts';
import { renderReportPdf } from '../../src/report/pdf-report.ts';

// The user's sub-headings („## …“ in the markup) in the three renderers: each sits one level below the
// heading above it (the section's own title, or a heading of the report), and stays text.

const ausblick =
  'Weltoffenheit hat in Dessau-Roßlau eine lange Tradition.\n\n## Engagement und Beteiligung\n\nDas Vorhaben wurde bereits umgesetzt.\n\n## Interkulturelle Öffnung <b>und</b> Vielfalt\n\nDas Thema soll systematisch bearbeitet werden.';
const potentials = 'Nach Einschätzung der Teilnehmenden besteht Entwicklungspotenzial.\n\n## Führungskräfteschulungen\n\nNoch nicht mit Blick auf Rolle und Funktion umgesetzt.';

const report: Report = {
  title: 'Abschlussbericht Stadt Dessau-Roßlau',
  language: 'de-DE',
  generatedOn: '2021-06-30',
  titlePage: { programme: 'Weltoffene Kommune', title: 'Abschlussbericht', kommune: 'Stadt Dessau-Roßlau', subtitle: 'Selbstcheck Weltoffene Kommune', date: '30. Juni 2021' },
  sections: [
    {
      id: 'workshop',
      number: 4,
      title: 'Ergebnisse Selbstcheck-Workshop',
      blocks: [
        { kind: 'heading', level: 2, text: 'Diskussionsergebnisse Handlungsfeld 4' },
        { kind: 'text', blocks: parseMarkup(potentials) },
      ],
    },
    { id: 'ausblick', number: 5, title: 'Ausblick und Perspektiven zur strategischen Weiterarbeit', blocks: [{ kind: 'text', blocks: parseMarkup(ausblick) }] },
  ],
} as Report;

const folder = mkdtempSync(path.join(tmpdir(), 'weltoffen-heading-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('sub-headings of the user’s text in the report', () => {
  it('HTML: h3 under the section title, h4 under a heading of the report; the text is escaped', () => {
    const html = renderReportHtml(report);
    expect(html).toContain('<h2>5. Ausblick und Perspektiven zur strategischen Weiterarbeit</h2>\n<p>Weltoffenheit');
    expect(html).toContain('<h3>Engagement und Beteiligung</h3>');
    expect(html).toContain('<h3>Interkulturelle Öffnung &lt;b&gt;und&lt;/b&gt; Vielfalt</h3>');
    expect(html).toContain('<h3>Diskussionsergebnisse Handlungsfeld 4</h3>');
    expect(html).toContain('<h4>Führungskräfteschulungen</h4>');
    expect(html).not.toContain('<b>');
  });

  it('DOCX: Word heading styles one below the heading above, so the navigation pane shows them in place', async () => {
    const zip = await JSZip.loadAsync(await renderReportDocx(report));
    const document = await zip.file('word/document.xml')!.async('string');
    const styleOf = (text: string) => {
      // The body after the table of contents, whose entries carry the same texts in TOC styles.
      const body = document.slice(document.indexOf('</w:sdt>'));
      const paragraph = body.split('</w:p>').find((entry) => entry.includes(`>${text}<`));
      return /<w:pStyle w:val="([^"]+)"/.exec(paragraph ?? '')?.[1];
    };
    expect(styleOf('Engagement und Beteiligung')).toBe('Heading2');
    expect(styleOf('Interkulturelle Öffnung &lt;b&gt;und&lt;/b&gt; Vielfalt')).toBe('Heading2');
    expect(styleOf('Diskussionsergebnisse Handlungsfeld 4')).toBe('Heading2');
    expect(styleOf('Führungskräfteschulungen')).toBe('Heading3');
    expect(await zip.file('word/styles.xml')!.async('string')).toContain('w:styleId="Heading4"');
  });

  it('PDF: real headings (tagged H2 and H3) in the order of the text', async () => {
    const pdf = await renderReportPdf(report);
    const file = path.join(folder, 'bericht.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\s+/g, ' ');
    const order = ['Diskussionsergebnisse Handlungsfeld 4', 'Führungskräfteschulungen', 'Weltoffenheit hat in', 'Engagement und Beteiligung', 'Das Vorhaben', 'Interkulturelle Öffnung <b>und</b> Vielfalt'];
    const positions = order.map((entry) => text.indexOf(entry));
    expect(positions.every((position) => position >= 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const streams: Buffer[] = [];
    const raw = pdf.toString('latin1');
    for (const match of raw.matchAll(/stream\r?\n/g)) {
      const start = match.index + match[0].length;
      try {
        streams.push(inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))));
      } catch {
        // Not a deflated stream (fonts): nothing to read there.
      }
    }
    const structure = Buffer.concat([pdf, ...streams]).toString('latin1');
    for (const tag of ['H1', 'H2', 'H3']) expect(structure, tag).toMatch(new RegExp(`/S\\s*/${tag}\\b`));
    expect(structure).not.toMatch(/\/S\s*\/H4\b/);
  });
});
