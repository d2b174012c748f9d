import { useQuery } from '@tanstack/react-query';
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useDiscussion } from '../../api/discussion.ts';
import { useBelege } from '../../api/belege.ts';
import type { FieldAnswers } from '../../api/types.ts';
import { deadlineText } from '../../components/deadline.ts';
import { isPending, pendingCounts, type SaveState } from '../../components/autosave-rules.ts';
import { CriterionThread, QuestionDiscussion } from '../../components/discussion.tsx';
import { EvidenceLinks } from '../../components/evidence-links.tsx';
import { ErrorSummary } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { QuestionEditor } from './question-editor.tsx';

/** The questionnaire: one page per Handlungsfeld, answers save themselves. */
export default function AnswerPage() {
  const { t } = useTranslation();
  const { slug = '', number = '', fieldKey = '' } = useParams();
  const session = useSession();
  const apiBase = `/api/kommunen/${slug}/rounds/${number}`;
  // „?fuer=Sozialamt“: the Koordination enters a returned paper questionnaire for that department.
  const [search] = useSearchParams();
  const onBehalfOf = search.get('fuer')?.trim() || undefined;
  const forQuery = onBehalfOf ? `?onBehalfOf=${encodeURIComponent(onBehalfOf)}` : '';
  const data = useQuery({
    queryKey: ['field-answers', slug, number, fieldKey, onBehalfOf ?? ''],
    queryFn: () => api<FieldAnswers>('GET', `${apiBase}/fields/${fieldKey}${forQuery}`),
    staleTime: 0,
    gcTime: 0,
  });
  // Notes of everyone on this field's questions; new ones from others come with a reload or on focus.
  const discussion = useDiscussion(apiBase, fieldKey, data.data?.canDiscuss ?? false);
  const belege = useBelege(slug);
  const documents = belege.data?.documents ?? [];
  const roundNumber = Number(number);
  const [answered, setAnswered] = useState<Set<string>>(new Set());
  /** The questions whose changes are not saved yet, with their save state. */
  const pending = useRef(new Map<string, SaveState>());
  const [waiting, setWaiting] = useState(() => pendingCounts([]));

  useEffect(() => {
    if (!data.data) return;
    const keys = data.data.field.criteria.flatMap((criterion) => criterion.questions.filter((question) => question.answer?.value).map((question) => question.key));
    setAnswered(new Set(keys));
  }, [data.data]);

  // Leaving with unsaved changes asks first; what is typed is also kept as a draft in the browser.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (pending.current.size > 0) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const onAnswered = useCallback((questionKey: string, isAnswered: boolean) => {
    setAnswered((current) => {
      const next = new Set(current);
      if (isAnswered) next.add(questionKey);
      else next.delete(questionKey);
      return next;
    });
  }, []);
  const onSaveStateChange = useCallback((questionKey: string, state: SaveState) => {
    if (isPending(state)) pending.current.set(questionKey, state);
    else pending.current.delete(questionKey);
    setWaiting(pendingCounts(pending.current.values()));
  }, []);

  if (data.isPending || session.isPending) return <Loading />;
  if (data.error || !data.data) {
    return (
      <Page title={t('answers.unavailable')}>
        <ErrorSummary error={data.error} />
      </Page>
    );
  }
  const { field, answerScale, canAnswer, round, previousFieldKey, nextFieldKey } = data.data;
  const total = field.criteria.reduce((sum, criterion) => sum + criterion.questions.length, 0);
  const roundLink = `/kommunen/${slug}/selbstcheck/${number}`;
  const fieldLink = (key: string) => `${roundLink}/handlungsfeld/${key}${onBehalfOf ? `?fuer=${encodeURIComponent(onBehalfOf)}` : ''}`;
  return (
    <Page title={onBehalfOf ? t('answers.onBehalfTitle', { number: field.key, name: field.name, department: onBehalfOf }) : t('answers.title', { number: field.key, name: field.name })} lead={field.description}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={roundLink}>
          {t('answers.backToRound', { number })}
        </Link>
      </nav>
      {round.status === 'open' && round.deadline ? <p className="kern-body"><strong>{deadlineText(round.deadline)}</strong></p> : null}
      <div className="answer-progress" role="status">
        <progress max={total} value={answered.size} aria-label={t('answers.progressLabel')} />
        <span className="kern-body">
          {t('answers.progress', { answered: answered.size, total })}
          {waiting.saving > 0 ? ` · ${t('answers.pending', { count: waiting.saving })}` : ''}
          {waiting.deciding > 0 ? ` · ${t('answers.deciding', { count: waiting.deciding })}` : ''}
          {waiting.notSaved > 0 ? ` · ${t('answers.notSaved', { count: waiting.notSaved })}` : ''}
        </span>
      </div>
      {onBehalfOf ? <Alert tone="info" title={t('answers.onBehalfNotice', { department: onBehalfOf })} /> : null}
      {!canAnswer ? (
        <Alert
          tone="info"
          title={round.status === 'closed' ? t('answers.closed') : !round.isWorked ? t('answers.notWorked') : t('answers.readOnly')}
        />
      ) : (
        <p className="kern-body">{t('answers.howItWorks')}</p>
      )}
      {field.criteria.map((criterion) => (
        <section key={criterion.key} aria-labelledby={`kriterium-${criterion.key}`} className="kern-stack criterion">
          <div className="kern-stack-xs">
            <h2 id={`kriterium-${criterion.key}`} className="kern-heading kern-title">
              {criterion.key} {criterion.name}
            </h2>
            <p className="kern-body">{criterion.description}</p>
          </div>
          <CriterionThread apiBase={apiBase} discussion={discussion.data} fieldKey={field.key} criterionKey={criterion.key} />
          {criterion.questions.map((question) => (
            <Fragment key={question.key}>
              <QuestionEditor
                key={question.key}
                apiBase={apiBase}
                draftKey={`weltoffen:entwurf:${session.data?.user.id}:${slug}:${number}:${question.key}${onBehalfOf ? `:fuer:${onBehalfOf}` : ''}`}
                onBehalfOf={onBehalfOf}
                question={question}
                answerScale={answerScale}
                canAnswer={canAnswer}
                onAnswered={onAnswered}
                onSaveStateChange={onSaveStateChange}
                belege={{
                  count: documents.filter((beleg) => beleg.links.some((link) => link.round === roundNumber && link.kind === 'question' && link.key === question.key)).length,
                  slot: <EvidenceLinks slug={slug} round={roundNumber} kind="question" subjectKey={question.key} canEdit={canAnswer} label={t('answers.questionBelege', { key: question.key })} />,
                }}
              />
              <QuestionDiscussion apiBase={apiBase} discussion={discussion.data} fieldKey={field.key} questionKey={question.key} />
            </Fragment>
          ))}
        </section>
      ))}
      <nav aria-label={t('answers.fieldNavigation')} className="toolbar field-navigation">
        {previousFieldKey ? (
          <Link className="kern-btn kern-btn--secondary" to={fieldLink(previousFieldKey)}>
            <span className="kern-label">{t('answers.previousField', { number: previousFieldKey })}</span>
          </Link>
        ) : null}
        {nextFieldKey ? (
          <Link className="kern-btn kern-btn--primary" to={fieldLink(nextFieldKey)}>
            <span className="kern-label">{t('answers.nextField', { number: nextFieldKey })}</span>
          </Link>
        ) : (
          <Link className="kern-btn kern-btn--primary" to={roundLink}>
            <span className="kern-label">{t('answers.backToRound', { number })}</span>
          </Link>
        )}
      </nav>
    </Page>
  );
}
