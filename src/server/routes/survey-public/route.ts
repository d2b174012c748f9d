import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { surveyTokenParams } from '../../../domain/api/survey.ts';
import { responseSubmissionSchema } from '../../../domain/resident-survey-results.ts';
import { issueChallenge, SurveyRefused, submitResidentResponse } from '../../../services/answer-resident-survey.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { clientAddress } from '../../http.ts';

const tag = 'Einwohner:innen-Umfrage (öffentlich)';
/** The one-time anti-duplicate token: the only cookie of the survey. */
export const deviceCookie = 'wo_umfrage';
const cookiePathOf = (token: string) => `/api/umfrage/${token}`;

/** A refusal in the resident's language: `{ error: { code, message }, language }` with its status. */
function respondRefusal(context: Context<AppEnv>, refused: SurveyRefused) {
  if (refused.retryAfterSeconds) context.header('Retry-After', String(refused.retryAfterSeconds));
  return context.json({ error: { code: refused.refusal, message: refused.text }, language: refused.language }, refused.status);
}

const refusalsDescription =
  'Eine Ablehnung kommt als `{ error: { code, message }, language }` in der Sprache der Antwortenden: 404 `error.notFound`, 409 `status.notYet` (beginnt später), 410 `error.closed`, 429 `error.tooMany` (mit Retry-After), 403 `error.challenge`, 400 `error.invalid`, 422 `error.empty` / `error.tooLong`, 409 `error.duplicate`.';

/** What residents call without an account: /api/umfrage/:token */
export const surveyPublicRoutes = new Hono<AppEnv>()
  .post(
    '/:token/challenge',
    endpoint(
      {
        tag,
        summary: 'Gibt die Sicherheitsaufgabe (Proof of Work) für eine Antwort aus',
        description: `Setzt beim ersten Mal das Cookie \`${deviceCookie}\` (HttpOnly, SameSite=Strict, nur für diesen Link): ein Zufallswert, damit ein Gerät einmal antwortet; die Aufgabe ist an die Umfrage und diesen Wert gebunden. ${refusalsDescription}`,
        access: 'public',
        params: surveyTokenParams,
        query: z.object({ sprache: z.string().max(10).optional() }),
        response: { description: '`{ challenge }` (altcha-lib, Version 2)' },
      },
      async (context, { params, query }) => {
        const { deps } = context.var;
        try {
          const issued = await issueChallenge(deps.services, params.token, { deviceToken: getCookie(context, deviceCookie), language: query.sprache, clientAddress: clientAddress(context) });
          const untilClose = Math.max(60, Math.ceil((Date.parse(`${issued.closesOn}T23:59:59+01:00`) - deps.services.now().getTime()) / 1000) + 86_400);
          setCookie(context, deviceCookie, issued.deviceToken, { path: cookiePathOf(params.token), httpOnly: true, sameSite: 'Strict', secure: deps.session.isSecure, maxAge: untilClose });
          context.header('Cache-Control', 'no-store');
          return context.json({ challenge: issued.challenge });
        } catch (error) {
          if (error instanceof SurveyRefused) return respondRefusal(context, error);
          throw error;
        }
      },
    ),
  )
  .post(
    '/:token/responses',
    endpoint(
      {
        tag,
        summary: 'Nimmt die Antwort einer Einwohnerin oder eines Einwohners an',
        description: `Braucht das Cookie \`${deviceCookie}\` und die gelöste Aufgabe. ${refusalsDescription}`,
        access: 'public',
        params: surveyTokenParams,
        upload: responseSubmissionSchema,
        response: { status: 201, description: '`{ heading, message, language }` in der Sprache der Antwort' },
      },
      async (context, { params }) => {
        const { deps } = context.var;
        // Read here, not by the wrapper: a body that is no JSON is refused in the resident's language.
        const body: unknown = await context.req.json().catch(() => null);
        try {
          const taken = await submitResidentResponse(deps.services, params.token, { body, deviceToken: getCookie(context, deviceCookie), clientAddress: clientAddress(context) });
          return context.json(taken, 201);
        } catch (error) {
          if (error instanceof SurveyRefused) return respondRefusal(context, error);
          throw error;
        }
      },
    ),
  );
