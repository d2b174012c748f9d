import { z } from 'zod';

/** Keys of the five answer options; the order is the order shown to users. */
export const answerKeys = ['ja', 'eher_ja', 'eher_nein', 'nein', 'keine_einschaetzung'] as const;
export type AnswerKey = (typeof answerKeys)[number];

const text = z.string().trim().min(1);

const answerOptionSchema = z.object({
  key: z.enum(answerKeys),
  label: text,
  value: z.number().int().min(0).nullable(),
  symbol: text,
});

const questionSchema = z.object({ key: text, text: text.min(10) });

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
    answerScale: z.array(answerOptionSchema).length(answerKeys.length),
    scoring: z.object({
      maxValue: z.number().int().positive(),
      criterionValue: z.literal('mean-of-answered-questions'),
      ratingRounding: z.literal('nearest-half-up'),
      fieldWeighting: z.literal('equal'),
    }),
    levels: z.array(levelSchema).min(2),
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
      const expectsValue = option.key !== 'keine_einschaetzung';
      if (expectsValue !== (option.value !== null)) {
        context.addIssue({
          code: 'custom',
          path: ['answerScale', index, 'value'],
          message: expectsValue ? 'diese Antwort braucht einen Wert' : '„keine Einschätzung möglich“ hat keinen Wert',
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
