import type { AnswerKey, Catalog } from './catalog.ts';

/** The stages of the process a Kommune goes through, in order (PRODUCT.md step 10, issue 7). */
export const processStages = ['aufnahme', 'fragebogen-in-arbeit', 'fragebogen-abgeschlossen', 'workshop-dokumentiert', 'bericht-erstellt'] as const;
export type ProcessStage = (typeof processStages)[number];

export const processStageLabels: Record<ProcessStage, string> = {
  aufnahme: 'Aufnahme',
  'fragebogen-in-arbeit': 'Fragebogen in Arbeit',
  'fragebogen-abgeschlossen': 'Fragebogen abgeschlossen',
  'workshop-dokumentiert': 'Workshop dokumentiert',
  'bericht-erstellt': 'Bericht erstellt',
};

/** The furthest stage a Kommune has reached. */
export function stageOf(state: { roundStatus: string | null; hasWorkshop: boolean; hasReport: boolean }): ProcessStage {
  if (state.hasReport && state.roundStatus === 'closed') return 'bericht-erstellt';
  if (state.hasWorkshop && state.roundStatus === 'closed') return 'workshop-dokumentiert';
  if (state.roundStatus === 'closed') return 'fragebogen-abgeschlossen';
  if (state.roundStatus === 'open') return 'fragebogen-in-arbeit';
  return 'aufnahme';
}

/** Progress through the process in percent: answered questions while the round is open, then by stage. */
export function progressOf(stage: ProcessStage, answered: number, questions: number): number {
  if (stage === 'aufnahme') return 0;
  if (stage === 'fragebogen-in-arbeit') return questions ? Math.floor((answered / questions) * 50) : 0;
  return { 'fragebogen-abgeschlossen': 60, 'workshop-dokumentiert': 80, 'bericht-erstellt': 100 }[stage];
}

/** Size classes of the peer comparison; Landkreise form their own group. */
export const sizeClasses = ['unter-20000', '20000-100000', 'ueber-100000', 'landkreis'] as const;
export type SizeClass = (typeof sizeClasses)[number];

export const sizeClassLabels: Record<SizeClass, string> = {
  'unter-20000': 'Kommunen unter 20.000 Einwohner:innen',
  '20000-100000': 'Kommunen mit 20.000 bis 100.000 Einwohner:innen',
  'ueber-100000': 'Kommunen über 100.000 Einwohner:innen',
  landkreis: 'Landkreise',
};

/** The size class of a Kommune; null when its population is not known (and it is no Landkreis). */
export function sizeClassOf(kind: string, population: number | null): SizeClass | null {
  if (kind === 'Landkreis') return 'landkreis';
  if (population === null) return null;
  if (population < 20_000) return 'unter-20000';
  if (population <= 100_000) return '20000-100000';
  return 'ueber-100000';
}

/** Median and quartiles (linear interpolation between ranks, as spreadsheets compute them). */
export function quartiles(values: readonly number[]): { q1: number; median: number; q3: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number) => {
    const position = (sorted.length - 1) * share;
    const lower = Math.floor(position);
    const upper = Math.ceil(position);
    return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
}

/** Fewer other Kommunen than this in a group, and no figures of the group are shown. */
export const minimumPeers = 5;

export interface PeerField {
  key: string;
  own: number | null;
  /** Null when fewer than `minimumPeers` other Kommunen of the group have a score for the field. */
  group: { count: number; q1: number; median: number; q3: number } | null;
}

/**
 * The own field scores beside the quartiles of the other Kommunen of the group. Only counts and
 * quartiles leave this function, never another Kommune's score.
 */
export function comparePeers(fieldKeys: readonly string[], own: Record<string, number | null>, others: readonly Record<string, number | null>[]): PeerField[] {
  return fieldKeys.map((key) => {
    const scores = others.map((entry) => entry[key]).filter((score): score is number => typeof score === 'number');
    return { key, own: own[key] ?? null, group: scores.length >= minimumPeers ? { count: scores.length, ...quartiles(scores) } : null };
  });
}

export type Change = 'besser' | 'gleich' | 'schlechter';

/** The criterion of an older catalog version a criterion of a newer one continues; null if none. */
export function counterpartIn(older: Catalog, newer: Catalog, criterionKey: string): string | null {
  const olderKeys = new Set(older.fields.flatMap((field) => field.criteria.map((criterion) => criterion.key)));
  if (older.id === newer.id && older.version === newer.version) return olderKeys.has(criterionKey) ? criterionKey : null;
  const criterion = newer.fields.flatMap((field) => field.criteria).find((entry) => entry.key === criterionKey);
  const mapped = criterion?.previousKeys;
  if (mapped) return mapped.find((key) => olderKeys.has(key)) ?? null;
  return olderKeys.has(criterionKey) ? criterionKey : null;
}

/** Better, same or worse, by the value of the ratings; null where either has no value. */
export function changeOf(catalog: Catalog, before: AnswerKey | null, after: AnswerKey | null): Change | null {
  const value = (key: AnswerKey | null) => (key ? (catalog.answerScale.find((option) => option.key === key)?.value ?? null) : null);
  const [from, to] = [value(before), value(after)];
  if (from === null || to === null) return null;
  return to > from ? 'besser' : to < from ? 'schlechter' : 'gleich';
}

/** The same for a field's score; a difference under one point counts as the same. */
export function scoreChange(before: number | null, after: number | null): Change | null {
  if (before === null || after === null) return null;
  if (Math.abs(after - before) < 1) return 'gleich';
  return after > before ? 'besser' : 'schlechter';
}
