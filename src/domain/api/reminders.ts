/** The request schemas of the deadline and reminder routes (src/server/routes/reminders): pure, so the web app can type its bodies. */
import { z } from 'zod';

export const deadlineSchema = z.object({
  deadline: z.iso.date('Datum im Format JJJJ-MM-TT').nullable(),
  reminderDaysBefore: z
    .number('eine ganze Zahl von 1 bis 60, oder leer lassen (keine automatische Erinnerung)')
    .int('eine ganze Zahl von 1 bis 60')
    .min(1, 'mindestens 1 Tag')
    .max(60, 'höchstens 60 Tage')
    .nullable()
    .default(null),
});

export const remindSchema = z.object({
  // Without it: everyone with open questions.
  userIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'ungültige Person')).min(1, 'mindestens eine Person').max(500).optional(),
  // true: also remind those reminded in the last 24 hours (otherwise 409 naming them).
  confirmRecent: z.boolean('true oder false').default(false),
});

/** What a client sends (before defaults). */
export type RemindInput = z.input<typeof remindSchema>;
