import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { germanTexts, repositoryRoot, type GermanText } from './german-texts.ts';
import { findAvoidedTerms, readAvoidedTerms } from './terms.ts';

/**
 * One term each, and the gender colon: no text of the UI, the catalogs, the report's golden texts or
 * the default texts uses a variant listed under „Nicht verwenden“ in docs/glossary.md.
 */

const terms = readAvoidedTerms(path.join(repositoryRoot, 'docs/glossary.md'));

/**
 * Uses that stay for now, each with its reason. A published catalog version is never changed (its
 * answers refer to it); its successor uses the glossary's terms. Every entry must still occur.
 */
const knownUses: { file: string; found: string; reason: string }[] = [
  { file: 'catalog/weltoffene-kommune-1.0.json', found: 'Einwohnerinnen und Einwohner', reason: 'Katalog 1.0 ist veröffentlicht; 1.1 schreibt „Einwohner:innen“' },
  { file: 'catalog/weltoffene-kommune-1.0.json', found: 'Unternehmerinnen und Unternehmer', reason: 'Katalog 1.0 ist veröffentlicht; 1.1 schreibt „Unternehmer:innen“' },
  { file: 'catalog/weltoffene-kommune-1.0.json', found: 'Lotsinnen und Lots', reason: 'Katalog 1.0 ist veröffentlicht; 1.1 schreibt „Lots:innen“' },
  { file: 'catalog/weltoffene-kommune-1.0.json', found: 'Bürgerinnen und -Bürger', reason: 'Katalog 1.0 ist veröffentlicht („EU-Bürgerinnen und -Bürger“)' },
  { file: 'catalog/weltoffene-kommune-1.1.json', found: 'Migrationsgeschichte', reason: 'Katalog 1.1 ist veröffentlicht und in Datenbanken gespeichert; eine gespeicherte Version wird nie geändert. Die nächste Katalogfassung schreibt „Einwanderungsgeschichte“' },
];

const isKnown = (finding: { file: string; found: string }) => knownUses.some((use) => use.file === finding.file && use.found === finding.found);

describe('one term each', () => {
  it('the glossary lists the variants to avoid', () => {
    expect(terms.length).toBeGreaterThan(0);
  });

  it('no text uses a variant the glossary lists under „Nicht verwenden“', () => {
    const findings = findAvoidedTerms(germanTexts(), terms)
      .filter((finding) => !isKnown(finding))
      .map((finding) => `${finding.file} › ${finding.where}: „${finding.found}“ → ${finding.instead}`);
    expect(findings).toEqual([]);
  });

  it('every known use still occurs', () => {
    const findings = findAvoidedTerms(germanTexts(), terms);
    const stale = knownUses.filter((use) => !findings.some((finding) => finding.file === use.file && finding.found === use.found));
    expect(stale).toEqual([]);
  });

  const text = (value: string, isFixedName = false): GermanText => ({ file: 'beispiel', where: 'text', text: value, isFixedName });
  const found = (value: string) => findAvoidedTerms([text(value)], terms).map((finding) => finding.found);

  it.each([
    ['Mitarbeiter*innen', 'Mitarbeiter*innen'],
    ['Mitarbeiter_innen', 'Mitarbeiter_innen'],
    ['die Mitarbeiter/innen und Schüler/-innen', 'Mitarbeiter/innen'],
    ['MitarbeiterInnen', 'rInnen'],
    ['Mitarbeiter(innen)', 'Mitarbeiter(innen)'],
    ['alle Bürgerinnen und Bürger', 'Bürgerinnen und Bürger'],
    ['EU-Bürgerinnen und -Bürger', 'Bürgerinnen und -Bürger'],
    ['Ärztinnen oder Ärzte', 'Ärztinnen oder Ärzt'],
    ['Lehrer und Lehrerinnen', 'Lehrer und Lehrerinnen'],
    ['für Entscheider:innen', 'Entscheider:innen'],
    ['die konsolidierten Einschätzung', 'konsolidierten Einschätzung'],
    ['eine abgestimmte Einschätzung', 'abgestimmte Einschätzung'],
    ['aus Sicht der Teilnehmer:innen', 'Teilnehmer:innen'],
    ['Menschen mit Migrationsgeschichte', 'Migrationsgeschichte'],
    ['die Leitfragen des Workshops', 'Leitfragen des Workshops'],
  ])('„%s“ is found', (value, expected) => {
    expect(found(value)).toContain(expected);
  });

  it.each([
    'Mitarbeiter:innen, Einwohner:innen, Entscheidungsträger:innen',
    'Innenstadt und Innenausschuss',
    'trans-, inter- und queerer Menschen (LSBTIQ*)',
    'die festgelegte Einschätzung nach der Konsolidierung',
    'Teilnehmende, Teilnehmerzahl',
    'Menschen mit Einwanderungsgeschichte',
    'Die Leitfragen des Selbstchecks',
  ])('„%s“ passes', (value) => {
    expect(found(value)).toEqual([]);
  });

  it('the catalog’s fixed names of Handlungsfelder and Kriterien are exempt', () => {
    expect(findAvoidedTerms([text('Willkommenskultur für Einwohner*innen', true)], terms)).toEqual([]);
  });
});
