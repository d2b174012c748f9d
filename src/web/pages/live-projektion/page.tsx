import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { formatCode } from '../../../domain/live-session.ts';
import { displayPercent } from '../../../domain/scoring.ts';
import { api } from '../../api/client.ts';
import { fieldName, type LiveField, type ModerationState, type StartSlide } from '../../api/live.ts';
import { errorMessage } from '../../components/form.tsx';
import { boardOf, moderationRoom, rankedNeeds, type LiveRoom } from '../live/room.ts';
import { useLiveRoom } from '../live/use-live-room.ts';
import './projection.css';

/** The first slide: the round's results for the session's Handlungsfelder. */
function ResultsSlide({ slide }: { slide: StartSlide | undefined }) {
  const { t } = useTranslation();
  if (!slide) return <p className="projection-note">{t('common.loading')}</p>;
  return (
    <div className="projection-results">
      <p className="projection-round">{slide.roundNumber === null ? t('live.projection.noRound') : t(slide.isProvisional ? 'live.projection.roundProvisional' : 'live.projection.round', { number: slide.roundNumber })}</p>
      {slide.fields.map((field) => (
        <section key={field.key} className="projection-result" aria-labelledby={`result-${field.key}`}>
          <h2 id={`result-${field.key}`}>{field.name}</h2>
          <p className="projection-score">
            {field.score === null ? (field.noScoreReason ?? t('live.projection.noScore')) : (field.scoreText ?? `${field.score} %`)}
            {field.level ? <span className="projection-level"> · {field.level}</span> : null}
          </p>
          <ul className="projection-criteria">
            {field.criteria.map((criterion) => (
              <li key={criterion.key}>
                <span className="projection-symbol" aria-hidden="true">
                  {criterion.symbol}
                </span>{' '}
                <span>{criterion.name}</span> <span className="projection-criterion-label">({criterion.label})</span>
              </li>
            ))}
          </ul>
          {field.knowledgeGap !== null && field.knowledgeGap !== undefined ? <p className="projection-gap">{t('live.projection.gap', { percent: displayPercent(field.knowledgeGap) })}</p> : null}
        </section>
      ))}
    </div>
  );
}

/** The cards of one field, its three questions side by side, groups under their heading. */
function CardsSlide({ room, fieldKey }: { room: LiveRoom; fieldKey: string }) {
  const { t } = useTranslation();
  return (
    <div className="projection-columns">
      {boardOf(room, fieldKey).map((question) => {
        const groups = question.groups.filter((entry) => entry.cards.length > 0);
        const count = groups.reduce((sum, entry) => sum + entry.cards.length, question.ungrouped.length);
        return (
          <section key={question.questionIndex} className="projection-column" aria-labelledby={`question-${question.questionIndex}`}>
            <h3 id={`question-${question.questionIndex}`}>{question.question}</h3>
            {count === 0 ? <p className="projection-note">{t('live.room.noCards')}</p> : null}
            {groups.map(({ group, cards }) => (
              <div key={group.id} className="projection-group">
                <h4>{group.heading}</h4>
                <ul className="projection-cards">
                  {cards.map((card) => (
                    <li key={card.id}>{card.text}</li>
                  ))}
                </ul>
              </div>
            ))}
            {question.ungrouped.length ? (
              <ul className="projection-cards">
                {question.ungrouped.map((card) => (
                  <li key={card.id}>{card.text}</li>
                ))}
              </ul>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

/** The Handlungsbedarfe of one field ranked by points. */
function RankingSlide({ room, fieldKey }: { room: LiveRoom; fieldKey: string }) {
  const { t } = useTranslation();
  const ranked = rankedNeeds(room, fieldKey);
  if (ranked.length === 0) return <p className="projection-note">{t('live.projection.noNeeds')}</p>;
  return (
    <ol className="projection-ranking">
      {ranked.map(({ card, points }) => (
        <li key={card.id}>
          <span className="projection-ranking__text">{card.text}</span>
          <span className="projection-ranking__points">{t('live.projection.points', { count: points })}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * The projection: opened by the Moderation in a new tab, without the app's header and footer. Very
 * large type, high contrast, nothing that needs motion; code and QR code always in view. Long lists:
 * one Handlungsfeld at a time (its three questions as columns), chosen with the buttons at the top,
 * because three fields of cards at once would not stay readable from the back of a room.
 */
export default function LiveProjectionPage() {
  const { t } = useTranslation();
  const { slug = '', id = '' } = useParams();
  const base = `/api/kommunen/${slug}/live-sessions/${id}`;
  const live = useLiveRoom({ load: () => api<ModerationState>('GET', base), roomOf: moderationRoom, eventsUrl: `${base}/events` });
  const slide = useQuery({ queryKey: ['live-start-slide', slug, id], queryFn: () => api<StartSlide>('GET', `${base}/start-slide`) });
  const [chosenField, setChosenField] = useState<string | null>(null);
  const title = live.loaded?.session.workshopTitle ?? t('live.title');
  useEffect(() => {
    document.title = `${t('live.projection.title')}: ${title} – ${t('app.name')}`;
  }, [t, title]);
  if (live.error && !live.room) {
    return (
      <main className="projection">
        <h1>{t('live.projection.title')}</h1>
        <p className="projection-note">{errorMessage(live.error, t)}</p>
      </main>
    );
  }
  if (!live.loaded || !live.room) {
    return (
      <main className="projection">
        <p className="projection-note">{t('common.loading')}</p>
      </main>
    );
  }
  const { room, loaded } = live;
  const settings = room.settings;
  const fields: LiveField[] = loaded.session.fields ?? slide.data?.fields.map((field) => ({ key: field.key, name: field.name })) ?? settings.fieldKeys.map((key) => ({ key, name: key }));
  const fieldKey = chosenField && settings.fieldKeys.includes(chosenField) ? chosenField : settings.fieldKeys[0]!;
  const code = formatCode(loaded.session.code);
  const isClosed = settings.status === 'beendet';
  const phaseLabel = isClosed ? t('live.phases.beendet') : t(`live.phases.${settings.phase}`);
  return (
    <main className="projection">
      <header className="projection-header">
        <div className="projection-heading">
          <p className="projection-phase">{phaseLabel}</p>
          <h1>{title}</h1>
          {settings.phase !== 'ergebnisse' && settings.fieldKeys.length > 1 ? (
            <div className="projection-field-choice" role="group" aria-label={t('live.projection.chooseField')}>
              {settings.fieldKeys.map((key) => (
                <button key={key} type="button" aria-pressed={key === fieldKey} onClick={() => setChosenField(key)}>
                  {fieldName(fields, key)}
                </button>
              ))}
            </div>
          ) : null}
        </div>
        <div className="projection-join">
          <p className="projection-join__text">
            {t('live.projection.join', { url: new URL(loaded.joinUrl).origin + '/live' })}
          </p>
          <p className="projection-code">{code}</p>
          <img className="projection-qr" src={`data:image/svg+xml,${encodeURIComponent(loaded.qrSvg)}`} alt={t('live.qrAlt', { url: loaded.joinUrl })} />
        </div>
      </header>
      <section className="projection-body" aria-live="off">
        {settings.phase === 'ergebnisse' ? (
          <ResultsSlide slide={slide.data} />
        ) : (
          <>
            <h2 className="projection-field">{fieldName(fields, fieldKey)}</h2>
            {settings.phase === 'priorisieren' ? <RankingSlide room={room} fieldKey={fieldKey} /> : <CardsSlide room={room} fieldKey={fieldKey} />}
          </>
        )}
        {settings.phase === 'priorisieren' && !isClosed ? <p className="projection-note projection-status">{t(settings.votingOpen ? 'live.projection.votingOpen' : 'live.projection.votingClosed')}</p> : null}
      </section>
    </main>
  );
}
