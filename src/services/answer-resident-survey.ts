/**
 * The residents' side of the Außensicht (issue 17): the public page's content in the chosen
 * language, the proof-of-work challenge, and a response. No account, no IP address kept, no cookie
 * but the one-time device token that keeps a device to one response; a self-hosted proof of work
 * (altcha-lib) instead of a third-party captcha; a limit per address window held only in memory.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import i18next, { type i18n } from 'i18next';
import { addressNetwork } from '../domain/live-session.ts';
import { languageFacts, sourceLanguage, type StatementSet, type SurveyLanguage } from '../domain/resident-survey.ts';
import { arrivalMinute, challengeSettings, checkResponse, maxOpenAnswerLength, responseSubmissionSchema, surveyPhase, surveyStatements, type SurveySettings } from '../domain/resident-survey-results.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { findKommuneById } from '../db/repositories/kommune-repository.ts';
import * as surveys from '../db/repositories/resident-survey-repository.ts';
import type { ServiceContext } from './context.ts';
import { berlinDay, settingsOf } from './survey-basics.ts';
import { getStatementSet, offeredLanguages, textsOf } from './manage-survey-texts.ts';

/** Responses per address (IPv6: per /64) and window; generous, since a dialogue event answers over one Wi-Fi. */
export const responseLimit = { count: 200, windowMs: 10 * 60_000 } as const;
/** Challenges per address and window: each mints a device token and a signature; a phone may ask again after a failure. */
export const challengeLimit = { count: 400, windowMs: 10 * 60_000 } as const;

/** What a refused response gets: the HTTP status and the key of the message in the resident's language. */
export const refusalStatus = {
  'error.notFound': 404,
  'error.closed': 410,
  'status.notYet': 409,
  'error.tooMany': 429,
  'error.challenge': 403,
  'error.invalid': 400,
  'error.empty': 422,
  'error.tooLong': 422,
  'error.duplicate': 409,
} as const;
export type SurveyRefusal = keyof typeof refusalStatus;

export class SurveyRefused extends Error {
  readonly refusal: SurveyRefusal;
  readonly status: (typeof refusalStatus)[SurveyRefusal];
  /** The refusal in the resident's language. */
  readonly text: string;
  readonly language: SurveyLanguage;
  readonly retryAfterSeconds?: number;

  constructor(refusal: SurveyRefusal, text: string, language: SurveyLanguage, retryAfterSeconds?: number) {
    super(refusal);
    this.name = 'SurveyRefused';
    this.refusal = refusal;
    this.status = refusalStatus[refusal];
    this.text = text;
    this.language = language;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// ---------------------------------------------------------------------------------------------
// Texts through i18next: plural forms and dates per language (never by hand)

const translators = new Map<string, i18n>();

/** A translator for one language's texts; plural forms by Intl.PluralRules, dates by Intl.DateTimeFormat. */
async function translatorFor(language: SurveyLanguage, texts: Record<string, string>): Promise<i18n> {
  const cacheKey = `${language}\u0000${JSON.stringify(texts)}`;
  const cached = translators.get(cacheKey);
  if (cached) return cached;
  const instance = i18next.createInstance();
  await instance.init({
    lng: language === 'de-x-ls' ? 'de' : language,
    resources: { [language === 'de-x-ls' ? 'de' : language]: { translation: texts } },
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  if (translators.size > 64) translators.clear();
  translators.set(cacheKey, instance);
  return instance;
}

/** A German calendar day as a date the language writes (Gregorian, as the Kommune's dates are). */
function dateOf(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}
const dateFormat = { dateStyle: 'long', calendar: 'gregory', timeZone: 'Europe/Berlin' } as const;

/**
 * The language a page is shown in: the one asked for in the link (`?sprache=`), else the first of
 * the browser's languages the survey offers, else German, else the first offered.
 */
export function chooseLanguage(offered: readonly SurveyLanguage[], requested: string | undefined, acceptLanguage: string | undefined): SurveyLanguage {
  if (requested && (offered as readonly string[]).includes(requested)) return requested as SurveyLanguage;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const quality = params.map((param) => /^q=([\d.]+)$/.exec(param.trim())?.[1]).find(Boolean);
      return { tag: (tag ?? '').toLowerCase(), quality: quality === undefined ? 1 : Number(quality) };
    })
    .filter((entry) => entry.tag !== '' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality);
  for (const { tag } of wanted) {
    const exact = offered.find((language) => language.toLowerCase() === tag);
    if (exact) return exact;
    const primary = offered.find((language) => language === tag.split('-')[0]);
    if (primary) return primary;
  }
  return offered.includes(sourceLanguage) ? sourceLanguage : (offered[0] ?? sourceLanguage);
}

interface LoadedSurvey {
  row: surveys.ResidentSurveyRow;
  settings: SurveySettings;
  set: StatementSet;
  offered: SurveyLanguage[];
  kommuneName: string;
}

async function loadPublished(context: ServiceContext, token: string): Promise<LoadedSurvey | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(token)) return null;
  const row = await surveys.findSurveyByToken(context.db, token);
  if (!row || row.status !== 'veroeffentlicht') return null;
  const kommune = await findKommuneById(context.db, row.kommuneId);
  if (!kommune || kommune.importJobId) return null;
  const set = getStatementSet(context.db, row.setVersion);
  return { row, settings: settingsOf(row), set, offered: await offeredLanguages(context.db, set), kommuneName: kommune.name };
}

/** Every text of a page in one language, resolved: what the public page renders. */
export async function publicSurveyPage(context: ServiceContext, token: string, choice: { requested?: string; acceptLanguage?: string }) {
  const loaded = await loadPublished(context, token);
  if (!loaded || loaded.offered.length === 0) {
    // An unknown link: the text in the browser's language if any survey language is known to it.
    const set = getStatementSet(context.db);
    const offered = await offeredLanguages(context.db, set);
    const language = chooseLanguage(offered, choice.requested, choice.acceptLanguage);
    const t = await translatorFor(language, await textsOf(context.db, set, language));
    return { found: false as const, language, ...languageFacts[language], message: t.t('error.notFound') };
  }
  const { row, settings, set, offered, kommuneName } = loaded;
  const language = chooseLanguage(offered, choice.requested, choice.acceptLanguage);
  const texts = await textsOf(context.db, set, language);
  const t = await translatorFor(language, texts);
  const today = berlinDay(context.now());
  const phase = surveyPhase(settings, today);
  const statements = surveyStatements(set, settings.fields);
  const date = (day: string) => ({ date: dateOf(day), formatParams: { date: dateFormat } });
  // A Latin name inside right-to-left text is isolated (FSI … PDI), so its period or dash stays in place.
  const isolate = (text: string) => (languageFacts[language].direction === 'rtl' ? `\u2068${text}\u2069` : text);
  const name = isolate(kommuneName);
  return {
    found: true as const,
    token: row.token,
    language,
    ...languageFacts[language],
    languages: offered.map((entry) => ({ language: entry, name: languageFacts[entry].ownName, htmlLang: languageFacts[entry].htmlLang, direction: languageFacts[entry].direction })),
    phase,
    title: t.t('page.title', { name }),
    intro: t.t('page.intro'),
    here: t.t('page.here', { name }),
    status:
      phase === 'open' ? t.t('status.until', date(settings.closesOn)) : phase === 'not-yet' ? t.t('status.notYet', date(settings.opensOn)) : t.t('status.closed'),
    labels: {
      language: t.t('page.language'),
      languageSubmit: t.t('page.languageSubmit'),
      statements: t.t('page.statements'),
      statementsHint: t.t('page.statementsHint', { count: statements.length }),
      open: t.t('page.open'),
      openHint: t.t('page.openHint'),
      groups: t.t('page.groups'),
      groupsHint: t.t('page.groupsHint'),
      none: t.t('group.none'),
      submit: t.t('page.submit'),
      checking: t.t('page.checking'),
      needsScript: t.t('page.needsScript'),
      thanks: t.t('page.thanks'),
      thanksText: t.t('page.thanksText'),
      tooLong: t.t('error.tooLong', { max: maxOpenAnswerLength }),
      empty: t.t('error.empty'),
      invalid: t.t('error.invalid'),
    },
    statements: statements.map((statement) => ({ key: statement.key, text: t.t(`statement.${statement.key}`) })),
    scale: set.scale.map((option) => ({ key: option.key, label: t.t(`scale.${option.key}`) })),
    groups: set.groups.map((group) => ({ key: group.key, question: t.t(`group.${group.key}`), options: group.options.map((option) => ({ key: option, label: t.t(`group.${group.key}.${option}`) })) })),
    openQuestions: settings.openQuestions.map((question, index) => {
      const translated = question.translations[language];
      // Without a wording in this language the German stands, marked as German for screen readers.
      return translated
        ? { index, text: translated, htmlLang: languageFacts[language].htmlLang, direction: languageFacts[language].direction }
        : { index, text: question.text, htmlLang: 'de', direction: 'ltr' as const };
    }),
    maxOpenAnswerLength,
    poster: { scan: t.t('poster.scan'), qrAlt: t.t('poster.qrAlt') },
    privacy: {
      heading: t.t('privacy.heading'),
      text: t.t('privacy.text'),
      retention: t.t('privacy.retention', { count: settings.retentionMonths }),
      controller: t.t('privacy.controller', { controller: isolate(settings.controller) }),
    },
  };
}
export type PublicSurveyPage = Awaited<ReturnType<typeof publicSurveyPage>>;

async function refusal(context: ServiceContext, loaded: LoadedSurvey | null, language: string | undefined, key: SurveyRefusal, retryAfterSeconds?: number): Promise<SurveyRefused> {
  const set = loaded?.set ?? getStatementSet(context.db);
  const offered = loaded?.offered ?? (await offeredLanguages(context.db, set));
  const chosen = chooseLanguage(offered, language, undefined);
  const t = await translatorFor(chosen, await textsOf(context.db, set, chosen));
  const values = { max: maxOpenAnswerLength, ...(loaded ? { date: dateOf(loaded.settings.opensOn), formatParams: { date: dateFormat } } : {}) };
  return new SurveyRefused(key, t.t(key, values), chosen, retryAfterSeconds);
}

function requireSecret(context: ServiceContext): string {
  if (!context.surveySecret) throw new Error('Kein Schlüssel für die Sicherheitsprüfung der Umfrage (surveySecret)');
  return context.surveySecret;
}

function hashOf(deviceToken: string): string {
  return createHash('sha256').update(deviceToken).digest('hex');
}

/** A device token as the page's cookie carries it. */
export function isDeviceToken(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * A proof-of-work challenge for one device: bound to the survey and to the hash of the device
 * token (a new one when the browser has none), valid for half an hour. Refused when the survey is
 * not open.
 */
export async function issueChallenge(context: ServiceContext, token: string, input: { deviceToken?: string; language?: string; clientAddress: string }) {
  const loaded = await loadPublished(context, token);
  const wait = limited(`c:${addressNetwork(input.clientAddress)}`, challengeLimit, context.now().getTime());
  if (wait !== null) throw await refusal(context, loaded, input.language, 'error.tooMany', wait);
  if (!loaded || loaded.offered.length === 0) throw await refusal(context, null, input.language, 'error.notFound');
  const phase = surveyPhase(loaded.settings, berlinDay(context.now()));
  if (phase !== 'open') throw await refusal(context, loaded, input.language, phase === 'closed' ? 'error.closed' : 'status.notYet');
  const deviceToken = isDeviceToken(input.deviceToken) ? input.deviceToken : randomBytes(32).toString('base64url');
  const challenge = await createChallenge({
    algorithm: challengeSettings.algorithm,
    cost: challengeSettings.cost,
    keyPrefix: challengeSettings.keyPrefix,
    keyLength: challengeSettings.keyLength,
    deriveKey,
    data: { survey: loaded.row.id, device: hashOf(deviceToken) },
    expiresAt: new Date(context.now().getTime() + challengeSettings.validMinutes * 60_000),
    hmacSignatureSecret: requireSecret(context),
  });
  return { challenge, deviceToken, closesOn: loaded.settings.closesOn };
}

// Requests per address window, in this process's memory only (the address is never stored). At most
// `maxWindows` addresses are kept: beyond that the oldest go first (a flood from many addresses then
// finds fresh windows, but cannot grow the memory).
const hits = new Map<string, number[]>();
const maxWindows = 50_000;
function limited(key: string, limit: { count: number; windowMs: number }, now: number): number | null {
  const since = now - limit.windowMs;
  const list = (hits.get(key) ?? []).filter((at) => at > since);
  if (list.length >= limit.count) {
    hits.set(key, list);
    return Math.ceil((list[0]! + limit.windowMs - now) / 1000);
  }
  list.push(now);
  hits.delete(key);
  hits.set(key, list);
  if (hits.size > maxWindows) {
    for (const [entry, value] of hits) if (value.every((at) => at <= since)) hits.delete(entry);
    for (const entry of hits.keys()) {
      if (hits.size <= maxWindows) break;
      hits.delete(entry);
    }
  }
  return null;
}
/** Empties the address windows (tests). */
export function resetResponseLimits(): void {
  hits.clear();
}

/**
 * Takes a resident's response: the survey open, the address window not full, the challenge solved
 * for this survey and device, the answers fitting the survey, and no response of the device yet.
 * Every refusal comes as SurveyRefused with the message in the resident's language.
 */
export async function submitResidentResponse(
  context: ServiceContext,
  token: string,
  input: { body: unknown; deviceToken?: string; clientAddress: string },
): Promise<{ message: string; heading: string; language: SurveyLanguage }> {
  const language = typeof (input.body as { language?: unknown } | null)?.language === 'string' ? ((input.body as { language: string }).language) : undefined;
  const loaded = await loadPublished(context, token);
  if (!loaded || loaded.offered.length === 0) throw await refusal(context, null, language, 'error.notFound');
  const phase = surveyPhase(loaded.settings, berlinDay(context.now()));
  if (phase !== 'open') throw await refusal(context, loaded, language, phase === 'closed' ? 'error.closed' : 'status.notYet');
  const wait = limited(`r:${addressNetwork(input.clientAddress)}`, responseLimit, context.now().getTime());
  if (wait !== null) throw await refusal(context, loaded, language, 'error.tooMany', wait);

  const envelope = responseSubmissionSchema.safeParse(input.body);
  if (!envelope.success) throw await refusal(context, loaded, language, 'error.invalid');
  if (!isDeviceToken(input.deviceToken)) throw await refusal(context, loaded, language, 'error.challenge');
  const deviceHash = hashOf(input.deviceToken);
  const { challenge, solution, ...body } = envelope.data;
  const verified = await verifySolution({ challenge, solution, deriveKey, hmacSignatureSecret: requireSecret(context) }).catch(() => null);
  const data = challenge.parameters.data;
  if (!verified?.verified || data?.survey !== loaded.row.id || data?.device !== deviceHash) throw await refusal(context, loaded, language, 'error.challenge');

  const checked = checkResponse(body, { statementKeys: surveyStatements(loaded.set, loaded.settings.fields).map((statement) => statement.key), openQuestionCount: loaded.settings.openQuestions.length, languages: loaded.offered }, loaded.set);
  if (!checked.ok) throw await refusal(context, loaded, language, checked.refusal);
  const { response } = checked;
  const responseId = randomUUID();
  const minute = arrivalMinute(context.now());
  try {
    await surveys.insertResponse(context.db, {
      id: responseId,
      surveyId: loaded.row.id,
      language: response.language,
      answers: response.answers,
      groups: response.groups,
      deviceHash,
      receivedAt: minute,
      open: response.open.flatMap((text, questionIndex) => (text === null ? [] : [{ id: randomUUID(), questionIndex, text }])),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw await refusal(context, loaded, response.language, 'error.duplicate');
    throw error;
  }
  const t = await translatorFor(response.language, await textsOf(context.db, loaded.set, response.language));
  return { heading: t.t('page.thanks'), message: t.t('page.thanksText'), language: response.language };
}
