import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { formatCode, liveLimits, normaliseCode, type LiveCard } from '../../../domain/live-session.ts';
import type { JoinLiveInput, ParticipantCardInput } from '../../../domain/api/live.ts';
import { api, ApiError } from '../../api/client.ts';
import { fieldName, type LiveField, type ParticipantState } from '../../api/live.ts';
import { CheckboxField, ErrorSummary, errorMessage, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { addToOutbox, isRetryable, readOutbox, removeFromOutbox, type PendingCard } from './outbox.ts';
import { boardOf, isOtherSession, participantRoom, votableCards, votesMovedAway, type LiveRoom } from './room.ts';
import { useLiveRoom } from './use-live-room.ts';
import './live.css';

const loadState = () => api<ParticipantState>('GET', '/api/live/session');

/** The join form: the code (from the QR code's link or typed), an optional name, the data protection note. */
function JoinForm({ initialCode, onJoined }: { initialCode: string; onJoined: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState(initialCode ? formatCode(normaliseCode(initialCode) ?? initialCode) : '');
  const [displayName, setDisplayName] = useState('');
  const [nameConsent, setNameConsent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const name = displayName.trim();
      const body: JoinLiveInput = { code, displayName: name, nameConsent: name !== '' && nameConsent };
      await api('POST', '/api/live/join', body);
      onJoined();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Page title={t('live.join.title')} lead={t('live.join.lead')}>
      <form className="kern-stack narrow" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary error={error} />
        <TextField label={t('live.join.code')} name="code" hint={t('live.join.codeHint')} value={code} onChange={setCode} autoComplete="off" maxLength={20} error={fields.code} />
        <TextField
          label={t('live.join.displayName')}
          name="displayName"
          hint={t('live.join.displayNameHint')}
          isOptional
          value={displayName}
          onChange={setDisplayName}
          autoComplete="nickname"
          maxLength={liveLimits.displayNameLength}
          error={fields.displayName}
        />
        {displayName.trim() ? <CheckboxField label={t('live.join.nameConsent')} name="nameConsent" hint={t('live.join.nameConsentHint')} checked={nameConsent} onChange={setNameConsent} /> : null}
        <section className="live-privacy kern-stack-sm" aria-labelledby="live-privacy-heading">
          <h2 id="live-privacy-heading" className="kern-heading kern-title kern-title--small">
            {t('live.privacy.title')}
          </h2>
          <ul className="kern-list kern-list--bullet">
            <li>{t('live.privacy.noAccount')}</li>
            <li>{t('live.privacy.cookie')}</li>
            <li>{t('live.privacy.documentation')}</li>
            <li>{t('live.privacy.deletion')}</li>
          </ul>
        </section>
        <div>
          <button type="submit" className="kern-btn kern-btn--primary" disabled={isBusy}>
            <span className="kern-label">{t('live.join.submit')}</span>
          </button>
        </div>
      </form>
    </Page>
  );
}

/** The end of a participation: the session was closed or the person was removed. */
function Ended({ message, onJoinAgain }: { message: string; onJoinAgain: () => void }) {
  const { t } = useTranslation();
  return (
    <Page title={t('live.ended.title')}>
      <Alert tone="info" title={message || t('live.ended.text')} />
      <p className="kern-body">{t('live.ended.thanks')}</p>
      <div>
        <button type="button" className="kern-btn kern-btn--secondary" onClick={onJoinAgain}>
          <span className="kern-label">{t('live.ended.joinOther')}</span>
        </button>
      </div>
    </Page>
  );
}

/** What the room is doing now, in plain words. */
function phaseText(room: LiveRoom, t: (key: string) => string): string {
  const { phase, votingOpen } = room.settings;
  if (phase === 'priorisieren') return t(votingOpen ? 'live.now.votingOpen' : 'live.now.votingClosed');
  return t(`live.now.${phase}`);
}

/** A counter of the characters left, read out only after a pause in typing (not at every key). */
function useCalmAnnouncement(text: string, delay = 1200) {
  const [announced, setAnnounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setAnnounced(text), delay);
    return () => clearTimeout(timer);
  }, [text, delay]);
  return announced;
}

type SentState = 'sending' | 'sent' | 'refused';

/** The card form; unsent cards stay in the outbox until the server confirms them. */
function CardForm({ sessionId, fields, questions }: { sessionId: string; fields: LiveField[]; questions: readonly string[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [fieldKey, setFieldKey] = useState(fields[0]?.key ?? '');
  const [questionIndex, setQuestionIndex] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [mine, setMine] = useState<{ card: PendingCard; state: SentState; message?: string }[]>(() => readOutbox(sessionId, localStorage).map((card) => ({ card, state: 'sending' as const })));
  const sending = useRef(false);
  const left = liveLimits.cardLength - text.length;
  const counter = t('live.card.counter', { count: left, max: liveLimits.cardLength });
  const announced = useCalmAnnouncement(text ? counter : '');

  const flush = useCallback(async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      for (const card of readOutbox(sessionId, localStorage)) {
        try {
          const body: ParticipantCardInput = { clientId: card.clientId, fieldKey: card.fieldKey, questionIndex: card.questionIndex as 0 | 1 | 2, text: card.text };
          await api<LiveCard>('POST', '/api/live/cards', body);
          removeFromOutbox(sessionId, [card.clientId], localStorage);
          setMine((list) => list.map((entry) => (entry.card.clientId === card.clientId ? { ...entry, state: 'sent' } : entry)));
        } catch (failure) {
          if (failure instanceof ApiError && isRetryable(failure.status)) break;
          // Refused for good (phase over, too long …): said beside the card, not retried.
          removeFromOutbox(sessionId, [card.clientId], localStorage);
          setMine((list) => list.map((entry) => (entry.card.clientId === card.clientId ? { ...entry, state: 'refused', message: errorMessage(failure, t) } : entry)));
        }
      }
    } finally {
      sending.current = false;
    }
  }, [sessionId, t]);

  useEffect(() => {
    void flush();
    const retry = () => void flush();
    window.addEventListener('online', retry);
    const timer = setInterval(retry, 15_000);
    return () => {
      window.removeEventListener('online', retry);
      clearInterval(timer);
    };
  }, [flush]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (questionIndex === null) return setProblem(t('live.card.chooseQuestion'));
    if (!trimmed) return setProblem(t('live.card.empty'));
    setProblem(null);
    const card: PendingCard = { clientId: crypto.randomUUID(), fieldKey, questionIndex, text: trimmed, writtenAt: new Date().toISOString() };
    addToOutbox(sessionId, card, localStorage);
    setMine((list) => [...list, { card, state: 'sending' }]);
    setText('');
    void flush();
  };

  return (
    <section className="kern-stack-sm live-card-form" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="kern-heading kern-title">
        {t('live.card.title')}
      </h2>
      <form className="kern-stack" onSubmit={submit} noValidate>
        {problem ? <Alert tone="danger" title={problem} focus /> : null}
        {fields.length > 1 ? (
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`${id}-field`}>
              {t('live.card.field')}
            </label>
            <div className="kern-form-input__select-wrapper">
              <select className="kern-form-input__select" id={`${id}-field`} name="fieldKey" value={fieldKey} onChange={(event) => setFieldKey(event.target.value)}>
                {fields.map((field) => (
                  <option key={field.key} value={field.key}>
                    {field.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : (
          <p className="kern-body">{t('live.card.onlyField', { name: fields[0]?.name ?? '' })}</p>
        )}
        <fieldset className="kern-fieldset">
          <legend className="kern-label">{t('live.card.question')}</legend>
          <div className="kern-fieldset__body">
            {questions.map((question, index) => (
              <div className="kern-form-check" key={index}>
                <input className="kern-form-check__radio" type="radio" id={`${id}-q${index}`} name="questionIndex" checked={questionIndex === index} onChange={() => setQuestionIndex(index)} />
                <label className="kern-label" htmlFor={`${id}-q${index}`}>
                  {question}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={`${id}-text`}>
            {t('live.card.text')}
          </label>
          <div className="kern-hint" id={`${id}-counter`} aria-hidden="true">
            {counter}
          </div>
          <textarea className="kern-form-input__input live-textarea" id={`${id}-text`} name="text" rows={4} maxLength={liveLimits.cardLength} value={text} onChange={(event) => setText(event.target.value)} aria-describedby={`${id}-limit`} />
          <span className="kern-sr-only" id={`${id}-limit`}>
            {t('live.card.limit', { max: liveLimits.cardLength })}
          </span>
          <span className="kern-sr-only" aria-live="polite">
            {announced}
          </span>
        </div>
        <div>
          <button type="submit" className="kern-btn kern-btn--primary">
            <span className="kern-label">{t('live.card.submit')}</span>
          </button>
        </div>
      </form>
      {mine.length ? (
        <div className="kern-stack-sm">
          <h3 className="kern-heading kern-title kern-title--small">{t('live.card.mine')}</h3>
          <ul className="kern-list live-mine" aria-live="polite">
            {mine.map(({ card, state, message }) => (
              <li key={card.clientId} className={`live-mine__item live-mine__item--${state}`}>
                <span>{card.text}</span>
                <span className="live-mine__state">{state === 'refused' ? `${t('live.card.refused')}: ${message}` : t(state === 'sent' ? 'live.card.sent' : 'live.card.sending')}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** Points on the Handlungsbedarfe: + and − per card, the points left in a polite live region. */
function Voting({ room, fields, myVotes, onVote, error }: { room: LiveRoom; fields: LiveField[] | undefined; myVotes: Record<string, number>; onVote: (card: LiveCard, count: number) => void; error: unknown }) {
  const { t } = useTranslation();
  const { votesPerParticipant: total, maxVotesPerCard: perCard } = room.settings;
  const needs = votableCards(room);
  // Points on a card that no longer takes points (hidden, merged, moved away) are not counted here; the
  // phone loads its own points again and sees where they went (ParticipantView).
  const held = new Set(needs.map((card) => card.id));
  const used = Object.entries(myVotes).reduce((sum, [cardId, count]) => sum + (held.has(cardId) ? count : 0), 0);
  const left = Math.max(0, total - used);
  return (
    <section className="kern-stack-sm" aria-labelledby="live-voting-heading">
      <h2 id="live-voting-heading" className="kern-heading kern-title">
        {t('live.voting.title')}
      </h2>
      <p className="kern-body kern-body--bold live-points-left" role="status">
        {t('live.voting.left', { left, total })}
      </p>
      <p className="kern-body">{t('live.voting.rule', { count: perCard })}</p>
      {error ? <Alert tone="danger" title={errorMessage(error, t)} /> : null}
      {room.settings.fieldKeys.map((key) => {
        const cards = needs.filter((card) => card.fieldKey === key);
        if (cards.length === 0) return null;
        return (
          <div key={key} className="kern-stack-sm">
            <h3 className="kern-heading kern-title kern-title--small">{fieldName(fields, key)}</h3>
            <ul className="live-vote-list">
              {cards.map((card) => {
                const mine = myVotes[card.id] ?? 0;
                const canAdd = left > 0 && mine < perCard;
                return (
                  <li key={card.id} className="live-vote">
                    <p className="kern-body live-vote__text">{card.text}</p>
                    <div className="live-vote__controls">
                      <button
                        type="button"
                        className="kern-btn kern-btn--secondary live-vote__button"
                        aria-label={t('live.voting.less', { text: card.text })}
                        aria-disabled={mine === 0}
                        onClick={() => mine > 0 && onVote(card, mine - 1)}
                      >
                        <span className="kern-label" aria-hidden="true">
                          −
                        </span>
                      </button>
                      <span className="live-vote__count">{t('live.voting.mine', { count: mine })}</span>
                      <button
                        type="button"
                        className="kern-btn kern-btn--secondary live-vote__button"
                        aria-label={t('live.voting.more', { text: card.text })}
                        aria-disabled={!canAdd}
                        onClick={() => canAdd && onVote(card, mine + 1)}
                      >
                        <span className="kern-label" aria-hidden="true">
                          +
                        </span>
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** The cards of the room by Handlungsfeld and question, groups under their heading. */
export function RoomCards({ room, fields, headingLevel = 2 }: { room: LiveRoom; fields: LiveField[] | undefined; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const FieldHeading = headingLevel === 2 ? 'h2' : 'h3';
  const QuestionHeading = headingLevel === 2 ? 'h3' : 'h4';
  const GroupHeading = headingLevel === 2 ? 'h4' : 'h5';
  return (
    <>
      {room.settings.fieldKeys.map((key) => {
        const board = boardOf(room, key);
        return (
          <section key={key} className="kern-stack-sm live-field" aria-label={fieldName(fields, key)}>
            <FieldHeading className="kern-heading kern-title">{fieldName(fields, key)}</FieldHeading>
            {board.map((question) => (
              <div key={question.questionIndex} className="kern-stack-sm">
                <QuestionHeading className="kern-heading kern-title kern-title--small">{question.question}</QuestionHeading>
                {question.groups.every((entry) => entry.cards.length === 0) && question.ungrouped.length === 0 ? <p className="kern-body kern-body--small">{t('live.room.noCards')}</p> : null}
                {question.groups
                  .filter((entry) => entry.cards.length > 0)
                  .map(({ group, cards }) => (
                    <div key={group.id} className="live-group">
                      <GroupHeading className="kern-body kern-body--bold live-group__heading">{group.heading}</GroupHeading>
                      <ul className="live-cards">
                        {cards.map((card) => (
                          <li key={card.id} className="live-card">
                            {card.text}
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                {question.ungrouped.length ? (
                  <ul className="live-cards">
                    {question.ungrouped.map((card) => (
                      <li key={card.id} className="live-card">
                        {card.text}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ))}
          </section>
        );
      })}
    </>
  );
}

function ParticipantView({ onLeft }: { onLeft: () => void }) {
  const { t } = useTranslation();
  const live = useLiveRoom({ load: loadState, roomOf: participantRoom, eventsUrl: '/api/live/events' });
  const [myVotes, setMyVotes] = useState<Record<string, number> | null>(null);
  const [voteError, setVoteError] = useState<unknown>(null);
  const votes = myVotes ?? live.loaded?.myVotes ?? {};
  useEffect(() => {
    if (live.loaded) setMyVotes(live.loaded.myVotes);
  }, [live.loaded]);

  // Points are sent one request at a time, always the latest wish per card: two requests in flight
  // could be served in the other order and leave an older count standing.
  const wanted = useRef(new Map<string, number>());
  const isSending = useRef(false);
  // Points the server moved or withdrew (their card merged into another, hidden, or moved away from the
  // Handlungsbedarfe): one's own points are loaded again, so „noch übrig“ and the target's count are right.
  const moved = live.room ? votesMovedAway(live.room, votes).join(' ') : '';
  useEffect(() => {
    if (moved && wanted.current.size === 0) void live.reload();
  }, [moved, live.reload]);
  const sendVotes = async () => {
    if (isSending.current) return;
    isSending.current = true;
    try {
      for (let next = wanted.current.entries().next(); !next.done; next = wanted.current.entries().next()) {
        const [cardId, count] = next.value;
        wanted.current.delete(cardId);
        try {
          const answer = await api<{ myVotes: Record<string, number> }>('PUT', `/api/live/votes/${cardId}`, { count });
          if (wanted.current.size === 0) setMyVotes(answer.myVotes);
        } catch (failure) {
          wanted.current.clear();
          setVoteError(failure);
          // What the server holds now: one's own points from a fresh state.
          await live.reload();
        }
      }
    } finally {
      isSending.current = false;
    }
  };
  const vote = (card: LiveCard, count: number) => {
    setVoteError(null);
    setMyVotes({ ...votes, [card.id]: count });
    wanted.current.set(card.id, count);
    void sendVotes();
  };
  const leave = async () => {
    await api('DELETE', '/api/live/participation').catch(() => {});
    onLeft();
  };

  if (live.error) {
    const status = live.error instanceof ApiError ? live.error.status : 0;
    if (status === 401) return <JoinAgain onLeft={onLeft} />;
    if (status === 410) return <Ended message={errorMessage(live.error, t)} onJoinAgain={onLeft} />;
    if (!live.room) {
      return (
        <Page title={t('live.title')}>
          <ErrorSummary error={live.error} />
        </Page>
      );
    }
  }
  if (!live.loaded || !live.room) return <Loading />;
  const { room } = live;
  const session = live.loaded.session;
  const fields = session.fields ?? session.fieldKeys.map((key) => ({ key, name: key }));
  if (room.settings.status === 'beendet') return <Ended message={t('live.ended.closed')} onJoinAgain={onLeft} />;
  return (
    <Page title={session.workshopTitle} lead={session.kommuneTitle}>
      {!live.isConnected ? <Alert tone="warning" title={t('live.connectionLost')} /> : null}
      <section className="kern-stack-sm live-now" aria-labelledby="live-now-heading">
        <h2 id="live-now-heading" className="kern-heading kern-title kern-title--small">
          {t('live.now.title', { phase: t(`live.phases.${room.settings.phase}`) })}
        </h2>
        <p className="kern-body" role="status">
          {phaseText(room, t)}
        </p>
      </section>
      {room.settings.phase === 'sammeln' ? <CardForm sessionId={session.id} fields={fields} questions={room.settings.questions} /> : null}
      {room.settings.phase === 'priorisieren' && room.settings.votingOpen ? <Voting room={room} fields={fields} myVotes={votes} onVote={vote} error={voteError} /> : null}
      {room.settings.phase !== 'ergebnisse' ? (
        <section className="kern-stack" aria-labelledby="live-room-heading">
          <h2 id="live-room-heading" className="kern-heading kern-title">
            {t('live.room.title')}
          </h2>
          <RoomCards room={room} fields={fields} headingLevel={3} />
        </section>
      ) : null}
      <p className="kern-body kern-body--small">{t('live.privacy.deletionDays', { count: room.settings.retentionDays })}</p>
      <div>
        <button type="button" className="kern-btn kern-btn--tertiary" onClick={() => void leave()}>
          <span className="kern-label">{t('live.leave')}</span>
        </button>
      </div>
    </Page>
  );
}

/** No (valid) participation in this browser: back to the form. */
function JoinAgain({ onLeft }: { onLeft: () => void }) {
  useEffect(onLeft, [onLeft]);
  return <Loading />;
}

/** A phone in one session opened another session's link: leave the first, or stay in it. */
function SwitchSession({ current, linkCode, onSwitch, onStay }: { current: ParticipantState['session']; linkCode: string; onSwitch: () => void; onStay: () => void }) {
  const { t } = useTranslation();
  const [isBusy, setBusy] = useState(false);
  const switchOver = async () => {
    setBusy(true);
    // Leaving ends the old participation and clears its cookie; its cards and points stay.
    await api('DELETE', '/api/live/participation').catch(() => {});
    onSwitch();
  };
  return (
    <Page title={t('live.switch.title')}>
      <div className="kern-stack narrow">
        <p className="kern-body">{t('live.switch.text', { title: current.workshopTitle, kommune: current.kommuneTitle, code: formatCode(normaliseCode(linkCode) ?? linkCode) })}</p>
        <div className="live-actions">
          <button type="button" className="kern-btn kern-btn--primary" disabled={isBusy} onClick={() => void switchOver()}>
            <span className="kern-label">{t('live.switch.switch')}</span>
          </button>
          <button type="button" className="kern-btn kern-btn--secondary" disabled={isBusy} onClick={onStay}>
            <span className="kern-label">{t('live.switch.stay')}</span>
          </button>
        </div>
      </div>
    </Page>
  );
}

/** The participant's phone: join by code (`/live/:code` from the QR code), then write cards and give points. */
export default function LivePage() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  // First ask whether this browser already takes part (a reload, or back from another tab).
  const [mode, setMode] = useState<'checking' | 'join' | 'room' | 'switch'>('checking');
  const [current, setCurrent] = useState<ParticipantState['session'] | null>(null);
  useEffect(() => {
    let isCurrent = true;
    loadState().then(
      (state) => {
        if (!isCurrent) return;
        setCurrent(state.session);
        setMode(code && isOtherSession(code, state.session.code) ? 'switch' : 'room');
      },
      (error: unknown) => isCurrent && setMode(error instanceof ApiError && error.status === 410 ? 'room' : 'join'),
    );
    return () => {
      isCurrent = false;
    };
  }, [code]);
  const toJoin = useCallback(() => setMode('join'), []);
  if (mode === 'checking') return <Loading />;
  if (mode === 'switch' && current) {
    const stay = () => {
      setMode('room');
      void navigate('/live', { replace: true });
    };
    return <SwitchSession current={current} linkCode={code} onSwitch={toJoin} onStay={stay} />;
  }
  if (mode === 'join') return <JoinForm initialCode={code} onJoined={() => setMode('room')} />;
  return <ParticipantView onLeft={toJoin} />;
}
