import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kommuneRoles, programmeRoles } from '../../domain/access.ts';
import { kommuneKinds } from '../../domain/kommune.ts';
import deMain from './de.json';
import later from './de-later.json';

// The texts of later screens are a second file, merged at run time (later.ts) as i18next does: deeply,
// so one key of a group (a link to a later screen) can stay in de.json.
function merged(main: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...main };
  for (const [key, value] of Object.entries(extra)) {
    const own = result[key];
    result[key] = own && typeof own === 'object' && value && typeof value === 'object' ? merged(own as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return result;
}
const de = merged(deMain, later);

function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? files(full) : /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], de);
}

const webDir = path.resolve(import.meta.dirname, '..');

describe('German texts', () => {
  it('every literal key the web app uses exists in de.json', () => {
    const missing: string[] = [];
    for (const file of files(webDir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        const key = match[1]!;
        const value = lookup(key) ?? lookup(`${key}_one`);
        if (value === undefined) missing.push(`${path.relative(webDir, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keys built from domain values exist for every value', () => {
    for (const role of [...programmeRoles, ...kommuneRoles]) {
      expect(lookup(`roles.${role}`), role).toBeTypeOf('string');
      expect(lookup(`roleHints.${role}`), role).toBeTypeOf('string');
    }
    for (const kind of kommuneKinds) expect(lookup(`kinds.${kind}`), kind).toBeTypeOf('string');
    for (const number of [1, 2, 3]) expect(lookup(`modules.${number}`)).toBeTypeOf('string');
    for (const step of ['invite-koordination', 'invite-mitwirkende', 'await-selbstcheck', 'answer-selbstcheck', 'consolidate-selbstcheck', 'see-results', 'document-workshop', 'plan-outlook', 'see-report']) {
      expect(lookup(`nextSteps.${step}`), step).toBeTypeOf('string');
    }
  });

  it('uses German quotation marks, not straight ones, in running text', () => {
    const texts = JSON.stringify(de).match(/"(?:[^"\\]|\\.)*"/g) ?? [];
    const straight = texts.filter((text) => text.includes('\\"'));
    expect(straight).toEqual([]);
  });
});
