import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import {
  closeSchema,
  cardParams,
  createSessionSchema,
  eventsQuery,
  exportQuery,
  groupParams,
  groupSchema,
  joinSchema,
  mergeSchema,
  moderationCardSchema,
  participantCardSchema,
  participantParams,
  removeParticipantQuery,
  sessionListParams,
  sessionParams,
  updateCardSchema,
  updateGroupSchema,
  updateSessionSchema,
  voteParams,
  voteSchema,
} from '../../../domain/api/live.ts';
import { DomainError, type ErrorCode } from '../../../domain/errors.ts';
import { liveLimits } from '../../../domain/live-session.ts';
import {
  addLiveGroup,
  addModerationCard,
  closeLiveSession,
  createLiveSession,
  deleteLiveSession,
  getModerationState,
  getParticipantState,
  getLiveExport,
  getStartSlide,
  joinLiveSession,
  leaveLiveSession,
  listLiveSessions,
  mergeLiveCard,
  openModerationStream,
  openParticipantStream,
  postParticipantCard,
  removeLiveGroup,
  removeLiveParticipant,
  setParticipantVotes,
  updateLiveCard,
  updateLiveGroup,
  updateLiveSessionSettings,
  followLiveSession,
  type LiveStreamEvent,
  type LiveStreamTarget,
} from '../../../services/run-live-session.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { clientAddress } from '../../http.ts';
import { sendTable } from '../../table-download.ts';

const tag = 'Live-Sitzung';
const cookieName = 'wo_live';
const cookiePath = '/api/live';
const moderationErrors = ['kommune-not-found', 'forbidden', 'kommune-importing', 'live-session-not-found'] as const satisfies readonly ErrorCode[];
const changeErrors = [...moderationErrors, 'live-session-closed'] as const satisfies readonly ErrorCode[];
const participantErrors = ['live-not-joined', 'live-participation-ended'] as const satisfies readonly ErrorCode[];

/**
 * Streams one participant may hold open at once in this process: a second tab, or a reload before the
 * old stream is noticed gone. Without a cap one cookie could open thousands, and every change of the
 * session would make each of them read the database.
 */
const streamsPerParticipant = 5;
const openParticipantStreams = new Map<string, number>();

/** Counts a participant's stream; the returned function releases it (once). */
function holdParticipantStream(participantId: string): () => void {
  const held = openParticipantStreams.get(participantId) ?? 0;
  if (held >= streamsPerParticipant) {
    throw new DomainError('live-limited', { message: `Sie haben schon zu viele Verbindungen zu dieser Live-Sitzung offen (höchstens ${streamsPerParticipant}). Bitte schließen Sie andere Fenster mit der Sitzung.`, retryAfterSeconds: liveLimits.heartbeatSeconds });
  }
  openParticipantStreams.set(participantId, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (openParticipantStreams.get(participantId) ?? 1) - 1;
    if (left > 0) openParticipantStreams.set(participantId, left);
    else openParticipantStreams.delete(participantId);
  };
}

/** The participant's token from the wo_live cookie. */
const tokenOf = (context: Context<AppEnv>) => getCookie(context, cookieName);

/** The first Last-Event-ID (header) or ?after= that is a number; undefined when neither. */
function resumeFrom(context: Context<AppEnv>, after: number | undefined): number | undefined {
  const header = context.req.header('last-event-id');
  if (header !== undefined && /^\d{1,15}$/.test(header.trim())) return Number(header.trim());
  return after;
}

/**
 * An event's data as JSON, once per event for all streams: the service hands every stream of a process
 * the same object for the same event (with 100 phones, one event was serialised 102 times).
 */
const serialised = new WeakMap<object, string>();
function jsonOf(data: unknown): string {
  if (typeof data !== 'object' || data === null) return JSON.stringify(data);
  let json = serialised.get(data);
  if (json === undefined) serialised.set(data, (json = JSON.stringify(data)));
  return json;
}

/**
 * One SSE message, as Hono's writeSSE writes it. JSON.stringify writes no line break, and the type and
 * id are the service's own (a name and a number), so each field is one line.
 */
export function sseMessage(event: LiveStreamEvent): string {
  return `event: ${event.type}\ndata: ${jsonOf(event.data)}\nid: ${event.id}\n\n`;
}

/**
 * An SSE stream of one session's events for its audience (services/run-live-session.ts followLiveSession:
 * catch-up from the table after Last-Event-ID, then the session's shared reader in this process), with a
 * heartbeat comment every 15 s that also reads once more, in case a wake-up was lost.
 */
function streamEvents(context: Context<AppEnv>, target: LiveStreamTarget, from: number, release: () => void = () => {}) {
  const services = context.var.deps.services;
  context.header('X-Accel-Buffering', 'no');
  return streamSSE(context, async (stream) => {
    try {
      await sendEvents(stream);
    } finally {
      release();
    }
  });

  async function sendEvents(stream: SSEStreamingApi) {
    let resolveDone = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const following = followLiveSession(services, target, from, {
      send: async (events) => {
        await stream.write(events.map(sseMessage).join(''));
      },
      end: () => resolveDone(),
    });
    const heartbeat = setInterval(() => {
      void stream.write(': heartbeat\n\n').catch(() => resolveDone());
      following.poke();
    }, liveLimits.heartbeatSeconds * 1000);
    stream.onAbort(() => resolveDone());
    try {
      await stream.write(': verbunden\n\n');
      await done;
    } finally {
      clearInterval(heartbeat);
      following.stop();
    }
  }
}

/** The Moderation's routes: /api/kommunen/:slug/live-sessions */
export const liveModerationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    endpoint(
      { tag, summary: 'Listet die Live-Sitzungen der Kommune', access: 'signed-in', params: sessionListParams, errors: ['kommune-not-found', 'forbidden', 'kommune-importing'], response: { description: '`{ sessions }` mit Code, Status, Phase und Zahlen.' } },
      async (context, { actor, params }) => context.json(await listLiveSessions(context.var.deps.services, actor, params.slug)),
    ),
  )
  .post(
    '/',
    endpoint(
      {
        tag,
        summary: 'Öffnet eine Live-Sitzung für einen Workshop',
        access: 'signed-in',
        params: sessionListParams,
        body: createSessionSchema,
        errors: ['kommune-not-found', 'forbidden', 'kommune-importing', 'workshop-not-found', 'field-unknown', 'live-session-open-exists'],
        response: { status: 201, description: 'Der Stand der neuen Live-Sitzung wie bei GET …/:id.' },
      },
      async (context, { actor, params, body }) => context.json(await createLiveSession(context.var.deps.services, actor, params.slug, body), 201),
    ),
  )
  .get(
    '/:id',
    endpoint(
      { tag, summary: 'Der ganze Stand einer Live-Sitzung für die Moderation', access: 'signed-in', params: sessionParams, errors: moderationErrors, response: { description: 'Sitzung, Karten (auch ausgeblendete und zusammengeführte), Gruppen, Teilnehmende, `lastEventId`, `joinUrl`, `qrSvg`.' } },
      async (context, { actor, params }) => context.json(await getModerationState(context.var.deps.services, actor, params.slug, params.id)),
    ),
  )
  .patch(
    '/:id',
    endpoint(
      { tag, summary: 'Ändert Phase, Sperre, Punktevergabe, Fragestellungen oder Grenzen', access: 'signed-in', params: sessionParams, body: updateSessionSchema, errors: changeErrors, response: { description: 'Die Einstellungen der Sitzung.' } },
      async (context, { actor, params, body }) => context.json(await updateLiveSessionSettings(context.var.deps.services, actor, params.slug, params.id, body)),
    ),
  )
  .get(
    '/:id/start-slide',
    endpoint(
      { tag, summary: 'Die Ergebnisse der Runde für die gewählten Handlungsfelder (erste Folie der Projektion)', access: 'signed-in', params: sessionParams, errors: [...moderationErrors, 'catalog-missing'], response: { description: 'Runde und je Handlungsfeld Ergebnis, Stufe, Kriterien mit Symbol und Wissenslücke.' } },
      async (context, { actor, params }) => context.json(await getStartSlide(context.var.deps.services, actor, params.slug, params.id)),
    ),
  )
  .post(
    '/:id/cards',
    endpoint(
      { tag, summary: 'Die Moderation schreibt selbst eine Karte', access: 'signed-in', params: sessionParams, body: moderationCardSchema, errors: [...changeErrors, 'live-limited'], response: { status: 201, description: 'Die Karte.' } },
      async (context, { actor, params, body }) => context.json(await addModerationCard(context.var.deps.services, actor, params.slug, params.id, body), 201),
    ),
  )
  .patch(
    '/:id/cards/:cardId',
    endpoint(
      { tag, summary: 'Ändert, blendet aus, verschiebt oder gruppiert eine Karte', access: 'signed-in', params: cardParams, body: updateCardSchema, errors: [...changeErrors, 'live-card-not-found', 'live-group-not-found'], response: { description: 'Die Karte.' } },
      async (context, { actor, params, body }) => context.json(await updateLiveCard(context.var.deps.services, actor, params.slug, params.id, params.cardId, body)),
    ),
  )
  .post(
    '/:id/cards/:cardId/merge',
    endpoint(
      { tag, summary: 'Führt eine doppelte Karte mit einer anderen zusammen', access: 'signed-in', params: cardParams, body: mergeSchema, errors: [...changeErrors, 'live-card-not-found', 'live-not-now'], response: { description: '`{ card, into }`' } },
      async (context, { actor, params, body }) => context.json(await mergeLiveCard(context.var.deps.services, actor, params.slug, params.id, params.cardId, body.intoCardId)),
    ),
  )
  .post(
    '/:id/groups',
    endpoint(
      { tag, summary: 'Legt eine Gruppe mit Überschrift an', access: 'signed-in', params: sessionParams, body: groupSchema, errors: [...changeErrors, 'live-limited'], response: { status: 201, description: 'Die Gruppe.' } },
      async (context, { actor, params, body }) => context.json(await addLiveGroup(context.var.deps.services, actor, params.slug, params.id, body), 201),
    ),
  )
  .patch(
    '/:id/groups/:groupId',
    endpoint(
      { tag, summary: 'Ändert Überschrift oder Reihenfolge einer Gruppe', access: 'signed-in', params: groupParams, body: updateGroupSchema, errors: [...changeErrors, 'live-group-not-found'], response: { description: 'Die Gruppe.' } },
      async (context, { actor, params, body }) => context.json(await updateLiveGroup(context.var.deps.services, actor, params.slug, params.id, params.groupId, body)),
    ),
  )
  .delete(
    '/:id/groups/:groupId',
    endpoint(
      { tag, summary: 'Löst eine Gruppe auf; ihre Karten bleiben', access: 'signed-in', params: groupParams, errors: [...changeErrors, 'live-group-not-found'], response: { description: '`{ groupId, ungroupedCardIds }`' } },
      async (context, { actor, params }) => context.json(await removeLiveGroup(context.var.deps.services, actor, params.slug, params.id, params.groupId)),
    ),
  )
  .delete(
    '/:id/participants/:participantId',
    endpoint(
      { tag, summary: 'Entfernt eine Person aus der Live-Sitzung; ihre Punkte werden zurückgenommen, mit `?hideCards=true` werden auch ihre Karten ausgeblendet', access: 'signed-in', params: participantParams, query: removeParticipantQuery, errors: [...changeErrors, 'live-participant-not-found'], response: { description: '`{ participantId, removed, hiddenCardIds }`' } },
      async (context, { actor, params, query }) => context.json(await removeLiveParticipant(context.var.deps.services, actor, params.slug, params.id, params.participantId, { hideCards: query.hideCards })),
    ),
  )
  .post(
    '/:id/close',
    endpoint(
      {
        tag,
        summary: 'Beendet die Live-Sitzung und übernimmt Gruppen und Karten in die Dokumentation des Workshops',
        access: 'signed-in',
        params: sessionParams,
        body: closeSchema,
        errors: [...changeErrors, 'workshop-not-found', 'live-not-now', 'stale-version'],
        response: { description: '`{ workshopId, cardCount, participantCount, documentVersion }`' },
      },
      async (context, { actor, params }) => context.json(await closeLiveSession(context.var.deps.services, actor, params.slug, params.id)),
    ),
  )
  .get(
    '/:id/export',
    endpoint(
      {
        tag,
        summary: 'Exportiert die Karten der Live-Sitzung als CSV oder Excel-Datei',
        description: 'Namen nur von Personen, die der Nennung zugestimmt haben.',
        access: 'signed-in',
        params: sessionParams,
        query: exportQuery,
        errors: moderationErrors,
        response: { description: 'Die Tabelle als Download.', contentTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
      },
      async (context, { actor, params, query }) => {
        const { fileName, header, lines } = await getLiveExport(context.var.deps.services, actor, params.slug, params.id);
        return sendTable(context, query.format, { fileName: `${fileName}.${query.format}`, sheetName: 'Karten', header, lines, widths: [28, 40, 24, 60, 8, 12, 40, 22, 14, 20] });
      },
    ),
  )
  .delete(
    '/:id',
    endpoint(
      { tag, summary: 'Löscht die Rohdaten der Live-Sitzung sofort', access: 'signed-in', params: sessionParams, errors: moderationErrors, response: { description: '`{ deleted: true }`' } },
      async (context, { actor, params }) => context.json(await deleteLiveSession(context.var.deps.services, actor, params.slug, params.id)),
    ),
  )
  .get(
    '/:id/events',
    endpoint(
      {
        tag,
        summary: 'Ereignisstrom der Moderation (Server-Sent Events)',
        description: 'Setzt nach `Last-Event-ID` (Kopfzeile) oder `?after=` fort; ist die Nummer nicht (mehr) bekannt, kommt `reset`. Alle 15 Sekunden ein Kommentar als Lebenszeichen.',
        access: 'signed-in',
        params: sessionParams,
        query: eventsQuery,
        errors: moderationErrors,
        response: { description: 'text/event-stream', contentTypes: ['text/event-stream'] },
      },
      async (context, { actor, params, query }) => {
        const target = await openModerationStream(context.var.deps.services, actor, params.slug, params.id);
        return streamEvents(context, target, resumeFrom(context, query.after) ?? target.lastEventId);
      },
    ),
  );

/** The participants' routes (no account; the wo_live cookie): /api/live */
export const liveParticipantRoutes = new Hono<AppEnv>()
  .post(
    '/join',
    endpoint(
      {
        tag,
        summary: 'Tritt einer Live-Sitzung mit dem Sitzungscode bei',
        description: `Setzt das Cookie \`wo_live\` (HttpOnly, SameSite=Strict). Falsche Codes werden je Adresse gezählt: nach ${liveLimits.wrongCodesPerAddress} in ${liveLimits.joinWindowMinutes} Minuten wird jeder Beitritt von dieser Adresse abgelehnt (429), auch mit richtigem Code. Richtige Codes zählen nicht; sie begrenzt nur die Zahl der Teilnehmenden (${liveLimits.participantsPerSession}).`,
        access: 'public',
        body: joinSchema,
        errors: ['live-code-unknown', 'live-locked', 'live-limited'],
        response: { status: 201, description: 'Der Stand für das Telefon wie bei GET /api/live/session.' },
      },
      async (context, { body }) => {
        const { deps } = context.var;
        const joined = await joinLiveSession(deps.services, { ...body, clientAddress: clientAddress(context) });
        setCookie(context, cookieName, joined.token, { path: cookiePath, httpOnly: true, sameSite: 'Strict', secure: deps.session.isSecure, maxAge: 24 * 60 * 60 });
        return context.json(joined.state, 201);
      },
    ),
  )
  .get(
    '/session',
    endpoint(
      { tag, summary: 'Der Stand der Live-Sitzung für das Telefon', access: 'public', errors: participantErrors, response: { description: 'Sitzung, sichtbare Karten ohne Namen, Gruppen, eigene Punkte, `votesLeft`, `lastEventId`.' } },
      async (context) => context.json(await getParticipantState(context.var.deps.services, tokenOf(context))),
    ),
  )
  .post(
    '/cards',
    endpoint(
      { tag, summary: 'Schreibt eine Karte (nur in der Phase „Sammeln“)', access: 'public', body: participantCardSchema, errors: [...participantErrors, 'live-not-now', 'live-limited'], response: { status: 201, description: 'Die Karte (dieselbe bei derselben clientId).' } },
      async (context, { body }) => context.json(await postParticipantCard(context.var.deps.services, tokenOf(context), body), 201),
    ),
  )
  .put(
    '/votes/:cardId',
    endpoint(
      { tag, summary: 'Setzt die eigenen Punkte auf einer Karte', access: 'public', params: voteParams, body: voteSchema, errors: [...participantErrors, 'live-card-not-found', 'live-not-now', 'live-limited'], response: { description: '`{ cardId, myVotes, votesLeft, total }`' } },
      async (context, { params, body }) => context.json(await setParticipantVotes(context.var.deps.services, tokenOf(context), params.cardId, body.count)),
    ),
  )
  .delete(
    '/participation',
    endpoint(
      { tag, summary: 'Verlässt die Live-Sitzung', access: 'public', errors: participantErrors, response: { description: '`{ left: true }`; das Cookie wird gelöscht.' } },
      async (context) => {
        const answer = await leaveLiveSession(context.var.deps.services, tokenOf(context));
        deleteCookie(context, cookieName, { path: cookiePath });
        return context.json(answer);
      },
    ),
  )
  .get(
    '/events',
    endpoint(
      {
        tag,
        summary: 'Ereignisstrom für Teilnehmende (Server-Sent Events)',
        description: 'Ohne ausgeblendete Karten und ohne Namen; setzt nach `Last-Event-ID` oder `?after=` fort.',
        access: 'public',
        query: eventsQuery,
        errors: [...participantErrors, 'live-limited'],
        response: { description: 'text/event-stream', contentTypes: ['text/event-stream'] },
      },
      async (context, { query }) => {
        const target = await openParticipantStream(context.var.deps.services, tokenOf(context));
        const release = holdParticipantStream(target.participantId!);
        return streamEvents(context, target, resumeFrom(context, query.after) ?? target.lastEventId, release);
      },
    ),
  );
