import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { CreateLiveSessionInput, ModerationCardInput, UpdateLiveCardInput, UpdateLiveSessionInput } from '../../../domain/api/live.ts';
import { formatCode, liveLimits, livePhases, votingQuestionIndex, type LiveCard, type LiveCluster } from '../../../domain/live-session.ts';
import { defaultGuidingQuestions, type Workshops } from '../../../domain/workshop.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { api } from '../../api/client.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import { fieldName, type LiveField, type LiveSessionSummary, type ModerationState } from '../../api/live.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { ChoiceGroup, Described, describedBy, ErrorSummary, errorMessage, fieldErrorsOf, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { boardOf, moderationRoom, type LiveRoom } from '../live/room.ts';
import { useLiveRoom } from '../live/use-live-room.ts';
import '../live/live.css';
import './moderation.css';

type Run = (action: () => Promise<unknown>) => void;

/** A whole number field of the preparation form. */
function NumberField({ label, hint, name, value, onChange, min, max, error }: { label: string; hint?: string; name: string; value: number; onChange: (value: number) => void; min: number; max: number; error?: string }) {
  const id = useId();
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      <Described id={id} hint={hint} error={error} />
      <input
        className="kern-form-input__input live-number"
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={Number.isNaN(value) ? '' : value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.valueAsNumber)}
      />
    </div>
  );
}

/** Preparing a session: the workshop's Handlungsfelder preselected, its questions prefilled. */
function Preparation({ slug, workshopId, workshop, fields, onCreated }: { slug: string; workshopId: string; workshop: Workshops['workshops'][number]; fields: LiveField[]; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [fieldKeys, setFieldKeys] = useState(workshop.fields.map((field) => field.fieldKey));
  const questionsOf = workshop.guidingQuestions.length >= 3 ? workshop.guidingQuestions : defaultGuidingQuestions;
  const [questions, setQuestions] = useState<[string, string, string]>([questionsOf[0]!, questionsOf[1]!, questionsOf[2]!]);
  const [votesPerParticipant, setVotes] = useState<number>(liveLimits.votesPerParticipant.default);
  const [maxVotesPerCard, setMaxVotes] = useState<number>(liveLimits.maxVotesPerCard.default);
  const [retentionDays, setRetention] = useState<number>(liveLimits.retentionDays.default);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const errors = fieldErrorsOf(error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: CreateLiveSessionInput = { workshopId, fieldKeys, questions, votesPerParticipant, maxVotesPerCard, retentionDays };
      const created = await api<ModerationState>('POST', `/api/kommunen/${slug}/live-sessions`, body);
      onCreated(created.session.id);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const questionLabels = [t('live.moderation.question0'), t('live.moderation.question1'), t('live.moderation.question2')];
  return (
    <form className="kern-stack narrow" onSubmit={(event) => void submit(event)} noValidate>
      <h2 className="kern-heading kern-title">{t('live.moderation.prepareTitle')}</h2>
      <p className="kern-body">{t('live.moderation.prepareLead')}</p>
      <ErrorSummary error={error} />
      <ChoiceGroup
        legend={t('live.moderation.fields')}
        hint={t('live.moderation.fieldsHint', { max: liveLimits.fieldKeys.max })}
        name="fieldKeys"
        type="checkbox"
        options={fields.map((field) => ({ value: field.key, label: `${field.key}. ${field.name}` }))}
        selected={fieldKeys}
        onChange={setFieldKeys}
        error={errors.fieldKeys}
      />
      {questions.map((question, index) => (
        <TextField
          key={index}
          label={questionLabels[index]!}
          name={`questions.${index}`}
          value={question}
          maxLength={liveLimits.questionLength}
          onChange={(value) => setQuestions((current) => current.map((entry, at) => (at === index ? value : entry)) as [string, string, string])}
          error={errors[`questions.${index}`]}
        />
      ))}
      <p className="kern-body kern-body--small">{t('live.moderation.phasePlan')}</p>
      <NumberField label={t('live.moderation.votesPerParticipant')} name="votesPerParticipant" value={votesPerParticipant} onChange={setVotes} min={liveLimits.votesPerParticipant.min} max={liveLimits.votesPerParticipant.max} error={errors.votesPerParticipant} />
      <NumberField label={t('live.moderation.maxVotesPerCard')} name="maxVotesPerCard" value={maxVotesPerCard} onChange={setMaxVotes} min={1} max={liveLimits.votesPerParticipant.max} error={errors.maxVotesPerCard} />
      <NumberField label={t('live.moderation.retentionDays')} hint={t('live.moderation.retentionHint')} name="retentionDays" value={retentionDays} onChange={setRetention} min={liveLimits.retentionDays.min} max={liveLimits.retentionDays.max} error={errors.retentionDays} />
      <div>
        <button type="submit" className="kern-btn kern-btn--primary" disabled={isBusy}>
          <span className="kern-label">{t('live.moderation.create')}</span>
        </button>
      </div>
    </form>
  );
}

/** The actions on one card: hide/show, edit, move, merge, group; all by buttons and selects, no dragging. */
function CardActions({ card, room, fields, run, base }: { card: LiveCard; room: LiveRoom; fields: LiveField[]; run: Run; base: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(card.text);
  const [target, setTarget] = useState(`${card.fieldKey}:${card.questionIndex}`);
  const [into, setInto] = useState('');
  const groups = room.groups.filter((group) => group.fieldKey === card.fieldKey && group.questionIndex === card.questionIndex);
  const mergeable = room.cards.filter((other) => other.id !== card.id && other.mergedIntoId === null && !other.hidden && other.fieldKey === card.fieldKey && other.questionIndex === card.questionIndex);
  const patch = (body: UpdateLiveCardInput) => run(() => api('PATCH', `${base}/cards/${card.id}`, body));
  const short = card.text.length > 40 ? `${card.text.slice(0, 40)} …` : card.text;
  return (
    <details className="live-card-actions">
      <summary>{t('live.moderation.cardActions', { text: short })}</summary>
      <div className="kern-stack-sm">
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={`${id}-text`}>
            {t('live.moderation.cardText')}
          </label>
          <textarea className="kern-form-input__input live-textarea" id={`${id}-text`} rows={3} maxLength={liveLimits.cardLength} value={text} onChange={(event) => setText(event.target.value)} />
        </div>
        <div>
          <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" onClick={() => patch({ text })}>
            <span className="kern-label">{t('live.moderation.saveText')}</span>
          </button>
        </div>
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={`${id}-move`}>
            {t('live.moderation.moveTo')}
          </label>
          <div className="kern-form-input__select-wrapper">
            <select className="kern-form-input__select" id={`${id}-move`} value={target} onChange={(event) => setTarget(event.target.value)}>
              {room.settings.fieldKeys.flatMap((key) =>
                room.settings.questions.map((question, index) => (
                  <option key={`${key}:${index}`} value={`${key}:${index}`}>
                    {`${fieldName(fields, key)} – ${question}`}
                  </option>
                )),
              )}
            </select>
          </div>
        </div>
        <div>
          <button
            type="button"
            className="kern-btn kern-btn--secondary kern-btn--small"
            onClick={() => {
              const [fieldKey, question] = target.split(':');
              patch({ fieldKey: fieldKey!, questionIndex: Number(question) as 0 | 1 | 2 });
            }}
          >
            <span className="kern-label">{t('live.moderation.move')}</span>
          </button>
        </div>
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={`${id}-group`}>
            {t('live.moderation.group')}
          </label>
          <div className="kern-form-input__select-wrapper">
            <select className="kern-form-input__select" id={`${id}-group`} value={card.clusterId ?? ''} onChange={(event) => patch({ clusterId: event.target.value || null })}>
              <option value="">{t('live.moderation.noGroup')}</option>
              {groups.map((group) => (
                <option key={group.id} value={group.id}>
                  {group.heading}
                </option>
              ))}
            </select>
          </div>
        </div>
        {mergeable.length ? (
          <>
            <div className="kern-form-input">
              <label className="kern-label" htmlFor={`${id}-merge`}>
                {t('live.moderation.mergeInto')}
              </label>
              <div className="kern-form-input__select-wrapper">
                <select className="kern-form-input__select" id={`${id}-merge`} value={into} onChange={(event) => setInto(event.target.value)}>
                  <option value="">{t('common.choose')}</option>
                  {mergeable.map((other) => (
                    <option key={other.id} value={other.id}>
                      {other.text}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div>
              <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" disabled={!into} onClick={() => run(() => api('POST', `${base}/cards/${card.id}/merge`, { intoCardId: into }))}>
                <span className="kern-label">{t('live.moderation.merge')}</span>
              </button>
            </div>
          </>
        ) : null}
      </div>
    </details>
  );
}

/** A group's heading: rename or delete (its cards stay, ungrouped). */
function GroupHeading({ group, run, base, children }: { group: LiveCluster; run: Run; base: string; children: ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  const [heading, setHeading] = useState(group.heading);
  return (
    <div className="live-group kern-stack-sm">
      <h5 className="kern-body kern-body--bold live-group__heading">{t('live.moderation.groupHeading', { heading: group.heading })}</h5>
      <div className="live-inline-form">
        <label className="kern-label" htmlFor={`${id}-heading`}>
          {t('live.moderation.heading')}
        </label>
        <input className="kern-form-input__input" id={`${id}-heading`} value={heading} maxLength={liveLimits.headingLength} onChange={(event) => setHeading(event.target.value)} />
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" aria-label={t('live.moderation.renameGroup', { heading: group.heading })} onClick={() => run(() => api('PATCH', `${base}/groups/${group.id}`, { heading }))}>
          <span className="kern-label">{t('live.moderation.rename')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--tertiary kern-btn--small" aria-label={t('live.moderation.deleteGroup', { heading: group.heading })} onClick={() => run(() => api('DELETE', `${base}/groups/${group.id}`))}>
          <span className="kern-label">{t('live.moderation.delete')}</span>
        </button>
      </div>
      {children}
    </div>
  );
}

/** One card in the Moderation's list: text, name where given, points, state, and its actions. */
function ModerationCard({ card, points, room, fields, run, base }: { card: LiveCard; points: number; room: LiveRoom; fields: LiveField[]; run: Run; base: string }) {
  const { t } = useTranslation();
  return (
    <li className={`live-card live-moderation-card${card.hidden ? ' is-hidden' : ''}`}>
      <p className="kern-body live-moderation-card__text">{card.text}</p>
      <p className="kern-body kern-body--small">
        {[card.authorName ? t('live.moderation.by', { name: card.authorName }) : null, card.questionIndex === votingQuestionIndex ? t('live.moderation.points', { count: points }) : null, card.hidden ? t('live.moderation.hidden') : null]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <div className="toolbar">
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" aria-label={t(card.hidden ? 'live.moderation.showCard' : 'live.moderation.hideCard', { text: card.text })} onClick={() => run(() => api('PATCH', `${base}/cards/${card.id}`, { hidden: !card.hidden }))}>
          <span className="kern-label">{t(card.hidden ? 'live.moderation.show' : 'live.moderation.hide')}</span>
        </button>
      </div>
      <CardActions card={card} room={room} fields={fields} run={run} base={base} />
    </li>
  );
}

/** New group under a question of a field. */
function NewGroup({ fieldKey, questionIndex, run, base, question }: { fieldKey: string; questionIndex: number; run: Run; base: string; question: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [heading, setHeading] = useState('');
  return (
    <form
      className="live-inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!heading.trim()) return;
        run(() => api('POST', `${base}/groups`, { fieldKey, questionIndex, heading: heading.trim() }));
        setHeading('');
      }}
    >
      {/* The form stands under its question's heading: the question is read out, not shown again. */}
      <label className="kern-label" htmlFor={`${id}-new`}>
        {t('live.moderation.newGroupShort')}
        <span className="kern-sr-only"> {t('live.moderation.newGroupContext', { question })}</span>
      </label>
      <input className="kern-form-input__input" id={`${id}-new`} value={heading} maxLength={liveLimits.headingLength} onChange={(event) => setHeading(event.target.value)} />
      <button type="submit" className="kern-btn kern-btn--secondary kern-btn--small">
        <span className="kern-label">{t('live.moderation.addGroup')}</span>
      </button>
    </form>
  );
}

/** The Moderation writes a card itself (what someone in the room said aloud), in any phase. */
function AddCard({ fieldKey, fieldLabel, questions, run, base }: { fieldKey: string; fieldLabel: string; questions: readonly string[]; run: Run; base: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [questionIndex, setQuestionIndex] = useState<ModerationCardInput['questionIndex']>(0);
  const [text, setText] = useState('');
  return (
    <details className="live-card-actions">
      <summary>{t('live.moderation.addCardSummary', { field: fieldLabel })}</summary>
      <form
        className="kern-stack-sm"
        onSubmit={(event) => {
          event.preventDefault();
          if (!text.trim()) return;
          const body: ModerationCardInput = { fieldKey, questionIndex, text: text.trim() };
          run(() => api('POST', `${base}/cards`, body).then(() => setText('')));
        }}
      >
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={`${id}-question`}>
            {t('live.moderation.addCardQuestion')}
          </label>
          <div className="kern-form-input__select-wrapper">
            <select className="kern-form-input__select" id={`${id}-question`} value={questionIndex} onChange={(event) => setQuestionIndex(Number(event.target.value) as ModerationCardInput['questionIndex'])}>
              {questions.map((question, index) => (
                <option key={index} value={index}>
                  {question}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="kern-form-input">
          <label className="kern-label" htmlFor={`${id}-text`}>
            {t('live.moderation.addCardText')}
          </label>
          <textarea className="kern-form-input__input live-textarea" id={`${id}-text`} rows={2} maxLength={liveLimits.cardLength} value={text} onChange={(event) => setText(event.target.value)} />
        </div>
        <div>
          <button type="submit" className="kern-btn kern-btn--secondary kern-btn--small">
            <span className="kern-label">{t('live.moderation.addCard')}</span>
          </button>
        </div>
      </form>
    </details>
  );
}

/** „Entfernen“ asks first; the person's cards can be hidden with it (spam in the room). */
function RemoveParticipant({ name, onRemove }: { name: string; onRemove: (hideCards: boolean) => void }) {
  const { t } = useTranslation();
  const [hideCards, setHideCards] = useState(false);
  const checkboxId = useId();
  return (
    <ConfirmButton label={t('live.moderation.removeParticipant', { name })} question={t('live.moderation.removeQuestion')} confirmLabel={t('live.moderation.remove')} onConfirm={() => onRemove(hideCards)}>
      <div className="kern-form-check">
        <input className="kern-form-check__checkbox" type="checkbox" id={checkboxId} checked={hideCards} onChange={(event) => setHideCards(event.target.checked)} />
        <label className="kern-label" htmlFor={checkboxId}>
          {t('live.moderation.removeHideCards')}
        </label>
      </div>
      <p className="kern-body">{t('live.moderation.removeRejoin')}</p>
    </ConfirmButton>
  );
}

function Console({ slug, sessionId, workshopTitle, onClosed }: { slug: string; sessionId: string; workshopTitle: string; onClosed: () => void }) {
  const { t } = useTranslation();
  const base = `/api/kommunen/${slug}/live-sessions/${sessionId}`;
  const catalog = useCurrentCatalog();
  const live = useLiveRoom({ load: () => api<ModerationState>('GET', base), roomOf: moderationRoom, eventsUrl: `${base}/events` });
  const [error, setError] = useState<unknown>(null);
  const [closed, setClosed] = useState<string | null>(null);
  const run: Run = (action) => {
    setError(null);
    action().catch((failure: unknown) => setError(failure));
  };
  if (live.error && !live.room) return <ErrorSummary error={live.error} />;
  if (!live.loaded || !live.room) return <Loading />;
  const { room, loaded } = live;
  const fields: LiveField[] = loaded.session.fields ?? room.settings.fieldKeys.map((key) => ({ key, name: catalog.data?.catalog.fields.find((field) => field.key === key)?.name ?? key }));
  const settings = room.settings;
  const patchSession = (body: UpdateLiveSessionInput) => run(() => api('PATCH', base, body));
  const isOpen = settings.status === 'offen';
  const people = room.participants ?? [];
  const named = people.filter((person) => !person.removed);
  const code = formatCode(loaded.session.code);
  const closeSession = () =>
    run(async () => {
      await api('POST', `${base}/close`, {});
      setClosed(t('live.moderation.closedText'));
      await live.reload();
      onClosed();
    });
  return (
    <div className="kern-stack-lg">
      {error ? <Alert tone="danger" title={errorMessage(error, t)} focus /> : null}
      {closed ? <Alert tone="success" title={closed} focus /> : null}
      {!live.isConnected ? <Alert tone="warning" title={t('live.moderation.connectionLost')} /> : null}
      <section className="live-join-box" aria-labelledby="live-join-heading">
        <div className="kern-stack-sm">
          <h2 id="live-join-heading" className="kern-heading kern-title">
            {t('live.moderation.joinTitle')}
          </h2>
          <p className="kern-body">{t('live.moderation.codeLabel')}</p>
          <p className="live-code" aria-label={t('live.moderation.codeSpelled', { code: code.split('').join(' ') })}>
            {code}
          </p>
          <p className="kern-body">
            {t('live.moderation.joinUrl')} <a className="kern-link" href={loaded.joinUrl}>{loaded.joinUrl}</a>
          </p>
          <p className="kern-body">
            <a className="kern-link" href={`/kommunen/${slug}/live/${sessionId}/projektor`} target="_blank" rel="noopener">
              {t('live.moderation.openProjection')}
            </a>
          </p>
        </div>
        <img className="live-qr" src={`data:image/svg+xml,${encodeURIComponent(loaded.qrSvg)}`} alt={t('live.qrAlt', { url: loaded.joinUrl })} />
      </section>

      <section className="kern-stack-sm" aria-labelledby="live-steer-heading">
        <h2 id="live-steer-heading" className="kern-heading kern-title">
          {t('live.moderation.steerTitle')}
        </h2>
        <p className="kern-body" role="status">
          {isOpen ? t('live.moderation.currentPhase', { phase: t(`live.phases.${settings.phase}`) }) : t('live.moderation.isClosed')}
        </p>
        {isOpen ? (
          <>
            <div className="toolbar" role="group" aria-label={t('live.moderation.phaseButtons')}>
              {livePhases.map((phase) => (
                <button key={phase} type="button" className={`kern-btn ${settings.phase === phase ? 'kern-btn--primary' : 'kern-btn--secondary'}`} aria-pressed={settings.phase === phase} onClick={() => patchSession({ phase })}>
                  <span className="kern-label">{t(`live.phases.${phase}`)}</span>
                </button>
              ))}
            </div>
            <div className="toolbar">
              <button type="button" className="kern-btn kern-btn--secondary" onClick={() => patchSession({ votingOpen: !settings.votingOpen })}>
                <span className="kern-label">{t(settings.votingOpen ? 'live.moderation.closeVoting' : 'live.moderation.openVoting')}</span>
              </button>
              <button type="button" className="kern-btn kern-btn--secondary" onClick={() => patchSession({ locked: !settings.locked })}>
                <span className="kern-label">{t(settings.locked ? 'live.moderation.unlock' : 'live.moderation.lock')}</span>
              </button>
            </div>
            <p className="kern-body kern-body--small">
              {[t(settings.votingOpen ? 'live.moderation.votingIsOpen' : 'live.moderation.votingIsClosed'), t(settings.locked ? 'live.moderation.isLocked' : 'live.moderation.isUnlocked'), t('live.moderation.limits', { total: settings.votesPerParticipant, perCard: settings.maxVotesPerCard })].join(' ')}
            </p>
          </>
        ) : null}
      </section>

      <section className="kern-stack-sm" aria-labelledby="live-people-heading">
        <h2 id="live-people-heading" className="kern-heading kern-title">
          {t('live.moderation.participants', { count: room.participantCount })}
        </h2>
        {named.some((person) => person.displayName) ? (
          <ul className="kern-list live-people">
            {named.map((person) => (
              <li key={person.id}>
                <span>{person.displayName ?? t('live.moderation.anonymous')}</span>{' '}
                {isOpen ? (
                  <RemoveParticipant name={person.displayName ?? t('live.moderation.anonymous')} onRemove={(hideCards) => run(() => api('DELETE', `${base}/participants/${person.id}${hideCards ? '?hideCards=true' : ''}`))} />
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="kern-body">{t('live.moderation.noNames')}</p>
        )}
      </section>

      <section className="kern-stack" aria-labelledby="live-cards-heading">
        <h2 id="live-cards-heading" className="kern-heading kern-title">
          {t('live.moderation.cardsTitle')}
        </h2>
        {settings.fieldKeys.map((key) => (
          <section key={key} className="kern-stack-sm live-field" aria-label={fieldName(fields, key)}>
            <h3 className="kern-heading kern-title">{fieldName(fields, key)}</h3>
            {isOpen ? <AddCard fieldKey={key} fieldLabel={fieldName(fields, key)} questions={settings.questions} run={run} base={base} /> : null}
            {boardOf(room, key, room.cards.filter((card) => card.mergedIntoId === null)).map((question) => (
              <div key={question.questionIndex} className="kern-stack-sm">
                <h4 className="kern-heading kern-title kern-title--small">{question.question}</h4>
                {question.groups.map(({ group, cards }) => (
                  <GroupHeading key={group.id} group={group} run={run} base={base}>
                    {cards.length ? (
                      <ul className="live-cards live-cards--wide">
                        {cards.map((card) => (
                          <ModerationCard key={card.id} card={card} points={card.votes} room={room} fields={fields} run={run} base={base} />
                        ))}
                      </ul>
                    ) : (
                      <p className="kern-body kern-body--small">{t('live.moderation.emptyGroup')}</p>
                    )}
                  </GroupHeading>
                ))}
                {question.ungrouped.length ? (
                  <ul className="live-cards live-cards--wide">
                    {question.ungrouped.map((card) => (
                      <ModerationCard key={card.id} card={card} points={card.votes} room={room} fields={fields} run={run} base={base} />
                    ))}
                  </ul>
                ) : question.groups.length === 0 ? (
                  <p className="kern-body kern-body--small">{t('live.room.noCards')}</p>
                ) : null}
                {isOpen ? <NewGroup fieldKey={key} questionIndex={question.questionIndex} run={run} base={base} question={question.question} /> : null}
              </div>
            ))}
          </section>
        ))}
      </section>

      <section className="kern-stack-sm" aria-labelledby="live-finish-heading">
        <h2 id="live-finish-heading" className="kern-heading kern-title">
          {t('live.moderation.finishTitle')}
        </h2>
        {isOpen ? (
          <div>
            <ConfirmButton label={t('live.moderation.close')} question={t('live.moderation.closeQuestion', { title: workshopTitle, count: settings.retentionDays })} confirmLabel={t('live.moderation.closeConfirm')} onConfirm={closeSession} />
          </div>
        ) : (
          <p className="kern-body">
            <Link className="kern-link" to={`/kommunen/${slug}/workshops`}>
              {t('live.moderation.toWorkshops')}
            </Link>
          </p>
        )}
        <p className="kern-body">
          {t('live.moderation.export')}{' '}
          <a className="kern-link" href={`${base}/export?format=csv`} download>
            {t('live.moderation.exportCsv')}
          </a>{' '}
          ·{' '}
          <a className="kern-link" href={`${base}/export?format=xlsx`} download>
            {t('live.moderation.exportXlsx')}
          </a>
        </p>
        <div>
          <ConfirmButton
            label={t('live.moderation.deleteSession')}
            question={t('live.moderation.deleteQuestion')}
            confirmLabel={t('live.moderation.deleteConfirm')}
            onConfirm={() =>
              run(async () => {
                await api('DELETE', base);
                window.location.assign(`/kommunen/${slug}/workshops`);
              })
            }
          />
        </div>
      </section>
    </div>
  );
}

/** The Moderation of a workshop's live session: prepare it, steer it, moderate the cards, close it. */
export default function LiveModerationPage() {
  const { t } = useTranslation();
  const { slug = '', workshopId = '' } = useParams();
  const { data } = useKommuneDocument<Workshops>(slug, 'workshops', () => {});
  const catalog = useCurrentCatalog();
  const sessions = useQuery({ queryKey: ['live-sessions', slug], queryFn: () => api<{ sessions: LiveSessionSummary[] }>('GET', `/api/kommunen/${slug}/live-sessions`) });
  const [createdId, setCreatedId] = useState<string | null>(null);
  const [isPreparingAnother, setPreparingAnother] = useState(false);
  if (data.isPending || sessions.isPending) return <Loading />;
  if (!data.data || !sessions.data) {
    return (
      <Page title={t('live.moderation.title')}>
        <ErrorSummary error={data.error ?? sessions.error} />
      </Page>
    );
  }
  const workshop = data.data.content.workshops.find((entry) => entry.id === workshopId);
  const ofWorkshop = sessions.data.sessions.filter((session) => session.workshopId === workshopId);
  const current = createdId ?? ofWorkshop.find((session) => session.status === 'offen')?.id ?? (isPreparingAnother ? null : (ofWorkshop[0]?.id ?? null));
  const isClosed = current !== null && createdId === null && ofWorkshop.find((session) => session.id === current)?.status === 'beendet';
  const title = t('live.moderation.titleOf', { title: workshop?.title ?? '' });
  const fields = (catalog.data?.catalog.fields ?? []).map((field) => ({ key: field.key, name: field.name }));
  return (
    <Page title={title}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}/workshops`}>
          {t('live.moderation.backToWorkshops')}
        </Link>
      </nav>
      {!workshop ? (
        <Alert tone="warning" title={t('live.moderation.noWorkshop')} />
      ) : current ? (
        <>
          {isClosed ? (
            <div>
              <button type="button" className="kern-btn kern-btn--secondary" onClick={() => setPreparingAnother(true)}>
                <span className="kern-label">{t('live.moderation.prepareAnother')}</span>
              </button>
            </div>
          ) : null}
          <Console
            key={current}
            slug={slug}
            sessionId={current}
            workshopTitle={workshop.title}
            onClosed={() => {
              setCreatedId(null);
              void sessions.refetch();
            }}
          />
        </>
      ) : catalog.data ? (
        <Preparation
          slug={slug}
          workshopId={workshopId}
          workshop={workshop}
          fields={fields}
          onCreated={(id) => {
            setCreatedId(id);
            void sessions.refetch();
          }}
        />
      ) : (
        <Loading />
      )}
    </Page>
  );
}
