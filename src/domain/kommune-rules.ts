import type { AnswerKey } from './catalog.ts';

/**
 * Rules on a Kommune's data that hold however the data arrives: the services apply them when a
 * person saves, `checkBundle` when a bundle is imported. Each rule is one function here, so the two
 * cannot drift apart. A problem names the field it concerns, relative to what was saved
 * (`content.events`, `reason`); callers add their own prefix or JSON path.
 */
export interface RuleProblem {
  field: string;
  message: string;
}

/** A reason shorter than this (without spaces around it) counts as none. */
export const minReasonLength = 3;

/**
 * Whether a consolidated rating needs a reason: it is set and differs from the derived rating. A
 * criterion nobody answered has no derived rating („offen“), so any rating of it differs; choosing
 * „keine Einschätzung möglich“ where the derived rating is already „–“ only confirms it.
 */
export function ratingNeedsReason(rating: AnswerKey | null, derivedRating: AnswerKey | null): boolean {
  return rating !== null && rating !== derivedRating;
}

/** Why a consolidated rating cannot be saved with this reason, or null. */
export function checkRatingReason(rating: AnswerKey | null, derivedRating: AnswerKey | null, reason: string): RuleProblem | null {
  if (!ratingNeedsReason(rating, derivedRating) || reason.trim().length >= minReasonLength) return null;
  return {
    field: 'reason',
    message:
      derivedRating === null
        ? 'Zu diesem Kriterium liegt noch keine Antwort vor. Bitte begründen Sie die Einschätzung.'
        : 'Bitte begründen Sie, warum die Einschätzung von der errechneten abweicht.',
  };
}

/**
 * The consolidated rating to store for a choice: a choice that only confirms the derived rating and
 * gives no reason is stored as none, so the derived rating stands and follows later answers. Stored,
 * it would keep its value when answers change and then differ from the derived rating without a
 * reason, which checkRatingReason forbids.
 */
export function ratingToStore(rating: AnswerKey | null, derivedRating: AnswerKey | null, reason: string): AnswerKey | null {
  return rating !== null && rating === derivedRating && reason.trim().length < minReasonLength ? null : rating;
}

/** Why a round's close time does not fit its status and start, or null. */
export function checkRoundTimes(round: { status: 'open' | 'closed'; createdAt: Date; closedAt: Date | null }): RuleProblem | null {
  if ((round.status === 'closed') !== (round.closedAt !== null)) {
    return { field: 'closedAt', message: 'Eine abgeschlossene Runde hat einen Abschlusszeitpunkt, eine offene nicht.' };
  }
  if (round.closedAt && round.closedAt.getTime() < round.createdAt.getTime()) {
    return { field: 'closedAt', message: 'Die Runde wäre abgeschlossen worden, bevor sie begonnen hat.' };
  }
  return null;
}

/** Why a round's period is not in order, or null (dates as JJJJ-MM-TT). */
export function checkRoundPeriod(period: { periodStart: string | null; periodEnd: string | null }): RuleProblem | null {
  if (period.periodStart && period.periodEnd && period.periodEnd < period.periodStart) {
    return { field: 'periodEnd', message: 'Das Ende des Bearbeitungszeitraums liegt vor seinem Beginn.' };
  }
  return null;
}

/** Orders catalog versions such as „1.0“ and „1.10“ by number. */
export function compareCatalogVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/**
 * Why a round may not use this catalog version, or null: a repeat stays comparable, so a round
 * never uses an older version of the catalog than the Kommune's round before it.
 */
export function checkRoundCatalogVersion(version: string, previous: { number: number; version: string } | undefined): RuleProblem | null {
  if (!previous || compareCatalogVersions(version, previous.version) >= 0) return null;
  return {
    field: 'catalogVersionId',
    message: `Die Runde ${previous.number} lief auf Version ${previous.version}; eine neue Runde braucht dieselbe oder eine neuere Version.`,
  };
}

/**
 * Why a person's Handlungsfelder do not fit their role, or null. Only Mitwirkende have Handlungsfelder;
 * null means all of them (an empty list is stored as null).
 */
export function checkMemberFieldKeys(role: string | null, fieldKeys: readonly string[] | null): RuleProblem | null {
  if (fieldKeys === null) return null;
  if (role !== 'mitwirkende') return { field: 'fieldKeys', message: 'Handlungsfelder werden nur Mitwirkenden zugewiesen; für alle anderen steht hier null.' };
  if (fieldKeys.length === 0) return { field: 'fieldKeys', message: 'Mitwirkende ohne eigene Handlungsfelder beantworten alle; dafür steht null, nicht eine leere Liste.' };
  if (new Set(fieldKeys).size !== fieldKeys.length) return { field: 'fieldKeys', message: 'Ein Handlungsfeld steht zweimal in der Liste.' };
  return null;
}

/** Workshops name the round they belong to: it must be a round of the Kommune. */
export function checkWorkshopRounds(workshops: readonly { roundNumber: number | null }[], roundNumbers: readonly number[]): RuleProblem | null {
  for (const [index, workshop] of workshops.entries()) {
    if (workshop.roundNumber === null || roundNumbers.includes(workshop.roundNumber)) continue;
    return {
      field: `content.workshops.${index}.roundNumber`,
      message: roundNumbers.length
        ? `Die Selbstcheck-Runde ${workshop.roundNumber} gibt es in dieser Kommune nicht; es gibt ${roundNumbers.length === 1 ? `die Runde ${roundNumbers[0]}` : `die Runden ${andList([...roundNumbers].sort((a, b) => a - b).map(String))}`}.`
        : `Die Selbstcheck-Runde ${workshop.roundNumber} gibt es in dieser Kommune nicht; sie hat noch keine Runde.`,
    };
  }
  return null;
}

/** A list in German: „A“, „A und B“, „A, B und C“. */
function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} und ${items.at(-1)}`;
}

/** Titles quoted, as a list in German: „A“, „A“ und „B“. */
function quotedList(titles: readonly string[]): string {
  return andList(titles.map((title) => `„${title}“`));
}

/**
 * Dialogue events belong to Modul 2: a Kommune without it has none (the report would leave them out
 * without a word).
 */
export function checkDialoguesModule(events: readonly { title: string }[], modules: readonly number[]): RuleProblem | null {
  if (events.length === 0 || modules.includes(2)) return null;
  return {
    field: 'content.events',
    message: 'Dialogveranstaltungen gehören zu Modul 2, das diese Kommune nicht nutzt. Bitte nehmen Sie zuerst Modul 2 in die Stammdaten der Kommune auf.',
  };
}

/**
 * Sign-ups and attendance of Modul-3 offers belong to Modul 3: a Kommune without it has no status
 * but „offen“ (which the offers page stores for every offer it lists, and which says nothing).
 */
export function checkOffersModule(statuses: readonly { status: string }[], modules: readonly number[]): RuleProblem | null {
  if (modules.includes(3)) return null;
  const index = statuses.findIndex((entry) => entry.status !== 'offen');
  if (index < 0) return null;
  return {
    field: `content.statuses.${index}.status`,
    message: 'Angebote für Entscheidungsträger:innen gehören zu Modul 3, das diese Kommune nicht nutzt. Bitte nehmen Sie zuerst Modul 3 in die Stammdaten der Kommune auf.',
  };
}

/**
 * Why a Kommune may not give up a module, or null: not while it holds dialogue events (Modul 2) or
 * sign-ups or attendance of offers (Modul 3), which the report would then leave out. They are named, so that the
 * person knows what to remove first, or can keep the module.
 */
export function checkModulesKeepContent(
  modules: readonly number[],
  content: { dialogueTitles: readonly string[]; signedUpOfferTitles: readonly string[] },
): RuleProblem | null {
  const dialogues = content.dialogueTitles;
  if (!modules.includes(2) && dialogues.length) {
    return {
      field: 'modules',
      message:
        dialogues.length === 1
          ? `Zur Kommune ist die Dialogveranstaltung ${quotedList(dialogues)} aus Modul 2 eingetragen. Bitte entfernen Sie sie zuerst, wenn die Kommune Modul 2 nicht mehr nutzt.`
          : `Zur Kommune sind ${dialogues.length} Dialogveranstaltungen aus Modul 2 eingetragen: ${quotedList(dialogues)}. Bitte entfernen Sie diese zuerst, wenn die Kommune Modul 2 nicht mehr nutzt.`,
    };
  }
  const offers = content.signedUpOfferTitles;
  if (!modules.includes(3) && offers.length) {
    return {
      field: 'modules',
      message: `Die Kommune ist für ${offers.length === 1 ? 'das Angebot' : 'die Angebote'} ${quotedList(offers)} aus Modul 3 angemeldet oder hat daran teilgenommen. Bitte setzen Sie den Stand zuerst auf „offen“, wenn die Kommune Modul 3 nicht mehr nutzt.`,
    };
  }
  return null;
}
