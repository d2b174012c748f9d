import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { dialoguesSchema } from '../../src/domain/dialogue.ts';
import { kickoffSchema } from '../../src/domain/kickoff.ts';
import { outlookSchema } from '../../src/domain/outlook.ts';
import { profileSchema } from '../../src/domain/profile.ts';
import { buildReport, reportTextsSchema } from '../../src/domain/report.ts';
import { workshopsSchema } from '../../src/domain/workshop.ts';
import { renderReportDocx } from '../../src/report/docx-report.ts';
import { renderReportHtml } from '../../src/report/html-report.ts';
import { renderReportPdf } from '../../src/report/pdf-report.ts';
import { completeRound } from '../support/report-inputs.ts';

// The points of a workshop's Punktabfrage (issue 16) in the three renderers, which read one tree.

const report = buildReport({
  kommune: { kind: 'Stadt', name: 'Freiberg', modules: [1], designation: null },
  programme: { title: 'Weltoffene Kommune', text: 'Das Programm.' },
  results: completeRound(),
  chartSvg: null,
  comparison: null,
  profile: profileSchema.parse({}),
  kickoff: kickoffSchema.parse({}),
  workshops: workshopsSchema.parse({
    workshops: [
      {
        id: 'workshop-eins',
        roundNumber: 1,
        date: '2026-05-12',
        fields: [
          {
            fieldKey: '3',
            actionNeeds: [
              { text: 'Eine Anlaufstelle schaffen', subpoints: ['Beratung in mehreren Sprachen'], votes: 12 },
              { text: 'Praktika anbieten', votes: 1 },
              { text: 'Sprachkurse fördern', votes: 0 },
              { text: 'Nachgetragen ohne Punkte' },
            ],
          },
        ],
      },
    ],
  }),
  dialogues: dialoguesSchema.parse({}),
  offers: [],
  outlook: outlookSchema.parse({}),
  texts: reportTextsSchema.parse({}),
  generatedOn: '2026-11-30',
});

const counts = ['Eine Anlaufstelle schaffen (12\u00a0Punkte)', 'Praktika anbieten (1\u00a0Punkt)', 'Sprachkurse fördern (0\u00a0Punkte)'];
const sentence = 'in Klammern steht, wie viele Punkte ein Handlungsbedarf erhielt.';

const folder = mkdtempSync(path.join(tmpdir(), 'weltoffen-votes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('points of the Punktabfrage in PDF, DOCX and HTML', () => {
  it('HTML: each count in its list item, the need without points unchanged', () => {
    const html = renderReportHtml(report);
    for (const text of counts) expect(html).toContain(`<li>${text}`);
    expect(html).toContain('<li>Nachgetragen ohne Punkte</li>');
    expect(html).toContain(sentence);
  });

  it('DOCX: each count in the list paragraph of its need', async () => {
    const zip = await JSZip.loadAsync(await renderReportDocx(report));
    const document = await zip.file('word/document.xml')!.async('string');
    const paragraphs = document.split('</w:p>').map((entry) => [...entry.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((part) => part[1]).join(''));
    for (const text of counts) expect(paragraphs).toContain(text);
    expect(paragraphs).toContain('Nachgetragen ohne Punkte');
    expect(paragraphs.some((entry) => entry.includes(sentence))).toBe(true);
  });

  it('PDF: the counts are in the text layer', async () => {
    const file = path.join(folder, 'bericht.pdf');
    writeFileSync(file, await renderReportPdf(report));
    // The text layer as one line: hyphenation undone, every kind of space one space.
    const flat = (value: string) => value.replace(/\u00ad\s*/g, '').replace(/\s+/g, ' ');
    const text = flat(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
    for (const entry of counts) expect(text).toContain(flat(entry));
    expect(text).toContain('Die meisten Punkte in der Punktabfrage erhielt der Handlungsbedarf „Eine Anlaufstelle schaffen“ (12 Punkte).');
    // The number is never split from its noun: no line ends between them (the noun itself may be hyphenated).
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).not.toMatch(/\(\d+[\s\u00a0]*\n/);
  });
});
