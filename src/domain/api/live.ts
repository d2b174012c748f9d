/** The request schemas of the live session routes (src/server/routes/live): pure, so the web app can type its bodies with z.input. */
import { z } from 'zod';
import { codeLength, liveLimits, livePhases, normaliseCode } from '../live-session.ts';
import { line } from '../text-fields.ts';

const slug = z.string().regex(/^[a-z0-9-]{1,80}$/, 'ungültige Kennung');
const fieldKey = z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld');
const questionIndex = z.union([z.literal(0), z.literal(1), z.literal(2)], 'die Frage: 0, 1 oder 2');
const question = line(liveLimits.questionLength).min(1, 'bitte ausfüllen');
const questions = z.tuple([question, question, question], 'genau drei Fragestellungen');
const integer = (min: number, max: number) => z.number('eine ganze Zahl').int('eine ganze Zahl').min(min, `mindestens ${min}`).max(max, `höchstens ${max}`);
const votesPerParticipant = integer(liveLimits.votesPerParticipant.min, liveLimits.votesPerParticipant.max);
const maxVotesPerCard = integer(liveLimits.maxVotesPerCard.min, liveLimits.votesPerParticipant.max);
const retentionDays = integer(liveLimits.retentionDays.min, liveLimits.retentionDays.max);
// What the projector shows to the room: no characters that turn the text around or hide in it (the
// bidi overrides and isolates, zero-width spaces; the zero-width joiner of emoji stays), and no tower of
// combining marks over one letter that runs over the neighbouring cards.
const invisible = /[\u202A-\u202E\u2066-\u2069\u200B\u2060-\u2064\uFEFF\u061C]/u;
const shown = (text: z.ZodType<string, string>) =>
  text.refine((value) => !invisible.test(value), 'keine unsichtbaren Formatzeichen').refine((value) => !/\p{M}{7,}/u.test(value), 'zu viele Akzente auf einem Zeichen');
const cardText = shown(line(liveLimits.cardLength).min(1, 'bitte einen Text eingeben'));
const heading = shown(line(liveLimits.headingLength).min(1, 'bitte eine Überschrift eingeben'));
const id = (message: string) => z.uuid(message);

/** M may not exceed N. */
const votesInOrder = <T extends { votesPerParticipant?: number; maxVotesPerCard?: number }>(value: T) =>
  value.votesPerParticipant === undefined || value.maxVotesPerCard === undefined || value.maxVotesPerCard <= value.votesPerParticipant;
const votesMessage = { message: 'Auf eine Karte können nicht mehr Punkte gehen, als jede Person insgesamt hat.', path: ['maxVotesPerCard'] };

export const sessionListParams = z.object({ slug });
export const sessionParams = z.object({ slug, id: id('ungültige Live-Sitzung') });
export const cardParams = sessionParams.extend({ cardId: id('ungültige Karte') });
export const groupParams = sessionParams.extend({ groupId: id('ungültige Gruppe') });
export const participantParams = sessionParams.extend({ participantId: id('ungültige Teilnahme') });
/** Removing a participant: `?hideCards=true` also hides the person's cards (spam in the room). */
export const removeParticipantQuery = z.object({
  hideCards: z.enum(['true', 'false'], { error: 'bitte „true“ oder „false“ angeben' }).optional().transform((value) => value === 'true'),
});

export const createSessionSchema = z
  .object({
    workshopId: z.string().regex(/^[a-z0-9-]{8,40}$/, 'ungültiger Workshop'),
    fieldKeys: z
      .array(fieldKey)
      .min(liveLimits.fieldKeys.min, 'bitte mindestens ein Handlungsfeld wählen')
      .max(liveLimits.fieldKeys.max, `höchstens ${liveLimits.fieldKeys.max} Handlungsfelder`)
      .refine((keys) => new Set(keys).size === keys.length, 'ein Handlungsfeld ist doppelt gewählt'),
    questions: questions.optional(),
    votesPerParticipant: votesPerParticipant.default(liveLimits.votesPerParticipant.default),
    maxVotesPerCard: maxVotesPerCard.default(liveLimits.maxVotesPerCard.default),
    retentionDays: retentionDays.default(liveLimits.retentionDays.default),
  })
  .refine(votesInOrder, votesMessage);

export const updateSessionSchema = z
  .object({
    phase: z.enum(livePhases, 'ungültige Phase').optional(),
    locked: z.boolean('true oder false').optional(),
    votingOpen: z.boolean('true oder false').optional(),
    questions: questions.optional(),
    votesPerParticipant: votesPerParticipant.optional(),
    maxVotesPerCard: maxVotesPerCard.optional(),
    retentionDays: retentionDays.optional(),
  })
  .refine(votesInOrder, votesMessage);

export const moderationCardSchema = z.object({ fieldKey, questionIndex, text: cardText });

export const updateCardSchema = z.object({
  text: cardText.optional(),
  hidden: z.boolean('true oder false').optional(),
  fieldKey: fieldKey.optional(),
  questionIndex: questionIndex.optional(),
  clusterId: id('ungültige Gruppe').nullable().optional(),
});

export const mergeSchema = z.object({ intoCardId: id('ungültige Karte') });

export const groupSchema = z.object({ fieldKey, questionIndex, heading });
export const updateGroupSchema = z.object({ heading: heading.optional(), position: integer(0, 10_000).optional() });

export const closeSchema = z.object({});

export const exportQuery = z.object({ format: z.enum(['csv', 'xlsx'], 'Format csv oder xlsx').default('csv') });

/** `?after=` for the first connect of a stream (later reconnects send Last-Event-ID). */
export const eventsQuery = z.object({ after: z.coerce.number('eine Ereignisnummer').int().min(0).max(Number.MAX_SAFE_INTEGER).optional() });

// Participants -----------------------------------------------------------------------------------

export const joinSchema = z.object({
  code: z
    .string('bitte den Sitzungscode eingeben')
    .max(40, 'Der Sitzungscode hat 10 Zeichen.')
    .transform((value, context) => {
      const code = normaliseCode(value);
      if (code === null) {
        context.addIssue({ code: 'custom', message: `Der Sitzungscode hat ${codeLength} Zeichen aus Buchstaben und Ziffern, z. B. ABCD-EFGH-JK.` });
        return z.NEVER;
      }
      return code;
    }),
  displayName: line(liveLimits.displayNameLength)
    .regex(/^[^\p{Cf}<>]*$/u, 'keine unsichtbaren Formatzeichen und keine spitzen Klammern')
    .refine((value) => !/\p{M}{7,}/u.test(value), 'zu viele Akzente auf einem Zeichen')
    .default(''),
  nameConsent: z.boolean('true oder false').default(false),
});

export const participantCardSchema = z.object({ clientId: id('ungültige Kennung der Karte'), fieldKey, questionIndex, text: cardText });

export const voteParams = z.object({ cardId: id('ungültige Karte') });
export const voteSchema = z.object({ count: integer(0, liveLimits.votesPerParticipant.max) });

/** What a client sends (before defaults). */
export type CreateLiveSessionInput = z.input<typeof createSessionSchema>;
export type UpdateLiveSessionInput = z.input<typeof updateSessionSchema>;
export type ModerationCardInput = z.input<typeof moderationCardSchema>;
export type UpdateLiveCardInput = z.input<typeof updateCardSchema>;
export type MergeLiveCardInput = z.input<typeof mergeSchema>;
export type LiveGroupInput = z.input<typeof groupSchema>;
export type UpdateLiveGroupInput = z.input<typeof updateGroupSchema>;
export type JoinLiveInput = z.input<typeof joinSchema>;
export type ParticipantCardInput = z.input<typeof participantCardSchema>;
export type LiveVoteInput = z.input<typeof voteSchema>;
