import { z } from 'zod';
import { kommuneKinds, type KommuneKind } from './kommune.ts';

/**
 * Keys of every answer option a catalog may declare; the order is the order shown to users. A catalog
 * declares the first five (1.0) or all six (from 1.1, with „trifft nicht zu“): rounds on 1.0 keep their scale.
 */
export const answerKeys = ['ja', 'eher_ja', 'eher_nein', 'nein', 'keine_einschaetzung', 'trifft_nicht_zu'] as const;
export type AnswerKey = (typeof answerKeys)[number];
/** The options without a value: they never enter a score. */
export const unvaluedAnswerKeys: readonly AnswerKey[] = ['keine_einschaetzung', 'trifft_nicht_zu'];

const text = z.string().trim().min(1);

const answerOptionSchema = z.object({
  key: z.enum(answerKeys),
  label: text,
  value: z.number().int().min(0).nullable(),
  symbol: text,
  /** The answer anchor: what choosing this option means (from 1.1), shown beside the option. */
  meaning: text.optional(),
});

const questionSchema = z.object({
  key: text,
  text: text.min(10),
  /** What a full „ja“ means for this question, shown as „Ein ‚ja‘ heißt: …“. */
  yesMeans: text.optional(),
  /** Typical Belege: documents, decisions, data that back an answer. */
  evidence: z.array(text).min(1).max(6).optional(),
  /** Only asked of these kinds of Kommune; without it, asked of every kind. */
  kinds: z.array(z.enum(kommuneKinds)).min(1).optional(),
  /** Marks a question whose „oder“ joins examples, not alternative demands. */
  exampleList: z.literal(true).optional(),
});

const criterionSchema = z.object({
  key: text,
  name: text,
  description: text.min(20),
  questions: z.array(questionSchema).min(1),
  /**
   * In a newer catalog version: the keys of the criteria of the previous version this one continues,
   * so that rounds on both versions can be compared. Without it, the same key counts as the same criterion.
   */
  previousKeys: z.array(text).min(1).optional(),
  /** „Anregungen zur Weiterarbeit“: what Kommunen typically do next; offered as measures in the Ausblick. */
  suggestions: z.array(text).min(1).max(6).optional(),
});

const fieldSchema = z.object({
  key: text,
  name: text,
  description: text.min(20),
  criteria: z.array(criterionSchema).min(1),
});

const levelSchema = z.object({ minScore: z.number().min(0).max(100), text: text });

/** The shape of a catalog file (catalog/<id>-<version>.json) with the rules that span several parts. */
export const catalogSchema = z
  .object({
    $comment: z.string().optional(),
    id: z.string().regex(/^[a-z0-9-]+$/, 'nur Kleinbuchstaben, Ziffern und Bindestriche'),
    version: z.string().regex(/^\d+\.\d+$/, 'Format „Haupt.Neben“, zum Beispiel „1.0“'),
    title: text,
    publishedOn: z.iso.date(),
    answerScale: z.array(answerOptionSchema).min(answerKeys.length - 1).max(answerKeys.length),
    scoring: z.object({
      maxValue: z.number().int().positive(),
      criterionValue: z.literal('mean-of-answered-questions'),
      ratingRounding: z.literal('nearest-half-up'),
      fieldWeighting: z.literal('equal'),
    }),
    levels: z.array(levelSchema).min(2),
    /**
     * Wording that depends on the kind of Kommune: `{name}` in a text becomes the value for the
     * Kommune's kind (Rat, Kreistag, Gemeinderat …). Every placeholder names every kind.
     */
    placeholders: z.record(z.string().regex(/^[a-z][a-zA-Z]*$/), z.object(Object.fromEntries(kommuneKinds.map((kind) => [kind, text])) as Record<KommuneKind, typeof text>)).optional(),
    fields: z.array(fieldSchema).min(1),
  })
  .superRefine((catalog, context) => {
    catalog.answerScale.forEach((option, index) => {
      if (option.key !== answerKeys[index]) {
        context.addIssue({
          code: 'custom',
          path: ['answerScale', index, 'key'],
          message: `erwartet „${answerKeys[index]}“ an dieser Stelle`,
        });
      }
      const expectsValue = !unvaluedAnswerKeys.includes(option.key);
      if (expectsValue !== (option.value !== null)) {
        context.addIssue({
          code: 'custom',
          path: ['answerScale', index, 'value'],
          message: expectsValue ? 'diese Antwort braucht einen Wert' : `„${option.label}“ hat keinen Wert`,
        });
      }
      if (option.value !== null && option.value > catalog.scoring.maxValue) {
        context.addIssue({
          code: 'custom',
          path: ['answerScale', index, 'value'],
          message: `Wert über dem Höchstwert ${catalog.scoring.maxValue}`,
        });
      }
    });
    const values = catalog.answerScale.map((option) => option.value).filter((value) => value !== null);
    if (new Set(values).size !== values.length) {
      context.addIssue({ code: 'custom', path: ['answerScale'], message: 'jeder Wert darf nur einmal vorkommen' });
    }
    if (catalog.levels[0]?.minScore !== 0) {
      context.addIssue({ code: 'custom', path: ['levels', 0, 'minScore'], message: 'die erste Stufe muss bei 0 beginnen' });
    }
    catalog.levels.forEach((level, index) => {
      const previous = catalog.levels[index - 1];
      if (previous && level.minScore <= previous.minScore) {
        context.addIssue({
          code: 'custom',
          path: ['levels', index, 'minScore'],
          message: 'die Stufen müssen aufsteigend sortiert sein',
        });
      }
    });
    const seen = new Map<string, string>();
    const claim = (key: string, path: (string | number)[]) => {
      const where = path.join('.');
      const earlier = seen.get(key);
      if (earlier) {
        context.addIssue({ code: 'custom', path, message: `Schlüssel „${key}“ kommt schon bei ${earlier} vor` });
      } else {
        seen.set(key, where);
      }
    };
    const declared = new Set(Object.keys(catalog.placeholders ?? {}));
    const checkPlaceholders = (value: string, path: (string | number)[]) => {
      for (const match of value.matchAll(/\{([^}]*)\}/g)) {
        if (!declared.has(match[1]!)) context.addIssue({ code: 'custom', path, message: `Platzhalter „{${match[1]}}“ ist nicht unter „placeholders“ erklärt` });
      }
    };
    catalog.fields.forEach((field, fieldIndex) => {
      checkPlaceholders(field.description, ['fields', fieldIndex, 'description']);
      field.criteria.forEach((criterion, criterionIndex) => {
        const at = ['fields', fieldIndex, 'criteria', criterionIndex];
        checkPlaceholders(criterion.description, [...at, 'description']);
        criterion.suggestions?.forEach((entry, index) => checkPlaceholders(entry, [...at, 'suggestions', index]));
        criterion.questions.forEach((question, questionIndex) => {
          const place = [...at, 'questions', questionIndex];
          checkPlaceholders(question.text, [...place, 'text']);
          if (question.yesMeans) checkPlaceholders(question.yesMeans, [...place, 'yesMeans']);
          question.evidence?.forEach((entry, index) => checkPlaceholders(entry, [...place, 'evidence', index]));
        });
        for (const kind of kommuneKinds) {
          if (!criterion.questions.some((question) => !question.kinds || question.kinds.includes(kind))) {
            context.addIssue({ code: 'custom', path: [...at, 'questions'], message: `für die Art „${kind}“ bliebe keine Frage übrig` });
          }
        }
      });
    });
    catalog.fields.forEach((field, fieldIndex) => {
      claim(`field:${field.key}`, ['fields', fieldIndex, 'key']);
      field.criteria.forEach((criterion, criterionIndex) => {
        claim(`criterion:${criterion.key}`, ['fields', fieldIndex, 'criteria', criterionIndex, 'key']);
        criterion.questions.forEach((question, questionIndex) => {
          claim(`question:${question.key}`, [
            'fields',
            fieldIndex,
            'criteria',
            criterionIndex,
            'questions',
            questionIndex,
            'key',
          ]);
        });
      });
    });
  });

export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogField = Catalog['fields'][number];
export type CatalogCriterion = CatalogField['criteria'][number];
export type AnswerOption = Catalog['answerScale'][number];
export type CatalogQuestion = CatalogCriterion['questions'][number];

/** The ratings for which a criterion's „Anregungen zur Weiterarbeit“ are offered (results page, Ausblick). */
export function offersSuggestions(rating: AnswerKey | null): boolean {
  return rating === 'eher_nein' || rating === 'nein';
}

/** Whether a catalog's answer scale has this option (1.0 has no „trifft nicht zu“). */
export function hasAnswerOption(catalog: Catalog, key: string): key is AnswerKey {
  return catalog.answerScale.some((option) => option.key === key);
}

/** The Kommune's wording for a text with placeholders; unknown placeholders stay as they are. */
export function resolvePlaceholders(catalog: Catalog, kind: KommuneKind, value: string): string {
  const placeholders = catalog.placeholders;
  if (!placeholders) return value;
  return value.replace(/\{([^}]*)\}/g, (whole, name: string) => placeholders[name]?.[kind] ?? whole);
}

/**
 * The catalog as one kind of Kommune sees it: placeholders resolved, questions that are not asked of
 * that kind removed. Everything a Kommune sees and every score of it comes from this view, so a
 * question not asked is neither open nor counted.
 */
export function catalogForKind(catalog: Catalog, kind: KommuneKind): Catalog {
  const resolve = (value: string) => resolvePlaceholders(catalog, kind, value);
  return {
    ...catalog,
    fields: catalog.fields.map((field) => ({
      ...field,
      description: resolve(field.description),
      criteria: field.criteria.map((criterion) => ({
        ...criterion,
        description: resolve(criterion.description),
        ...(criterion.suggestions ? { suggestions: criterion.suggestions.map(resolve) } : {}),
        questions: criterion.questions
          .filter((question) => !question.kinds || question.kinds.includes(kind))
          .map((question) => ({
            ...question,
            text: resolve(question.text),
            ...(question.yesMeans ? { yesMeans: resolve(question.yesMeans) } : {}),
            ...(question.evidence ? { evidence: question.evidence.map(resolve) } : {}),
          })),
      })),
    })),
  };
}

/** One problem found in a catalog file, with the JSON path where it sits. */
export interface CatalogProblem {
  path: string;
  message: string;
}

/** Formats a zod issue path as a JSON path such as `$.fields[1].criteria[0].name`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (result, part) => (typeof part === 'number' ? `${result}[${part}]` : `${result}.${String(part)}`),
    '$',
  );
}

/** Checks a parsed catalog file; returns the catalog or the problems with their places. */
export function parseCatalog(
  input: unknown,
): { ok: true; catalog: Catalog } | { ok: false; problems: CatalogProblem[] } {
  const result = catalogSchema.safeParse(input);
  if (result.success) return { ok: true, catalog: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
  };
}

/** Counts fields, criteria and questions of a catalog. */
export function countCatalog(catalog: Catalog): { fields: number; criteria: number; questions: number } {
  const criteria = catalog.fields.flatMap((field) => field.criteria);
  return {
    fields: catalog.fields.length,
    criteria: criteria.length,
    questions: criteria.reduce((sum, criterion) => sum + criterion.questions.length, 0),
  };
}
