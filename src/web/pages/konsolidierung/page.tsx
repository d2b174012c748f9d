import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { AnswerKey, AnswerOption, Consolidation } from '../../api/types.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, SelectField, TextArea } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';

type Criterion = Consolidation['fields'][number]['criteria'][number];

/** An option as symbol and label; `null` is a derived rating nobody answered for: „offen“, never „keine Einschätzung“. */
function optionText(scale: AnswerOption[], key: AnswerKey | null, t: (key: string) => string): string {
  if (!key) return `? ${t('consolidation.open')}`;
  const option = scale.find((entry) => entry.key === key);
  return option ? `${option.symbol} ${option.label}` : key;
}

function RatingForm({ apiBase, criterion, scale, canEdit }: { apiBase: string; criterion: Criterion; scale: AnswerOption[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState<string>(criterion.consolidatedRating ?? '');
  const [reason, setReason] = useState(criterion.reason);
  const [version, setVersion] = useState(criterion.ratingVersion);
  const save = useMutation({
    mutationFn: () => api<{ rating: { version: number } }>('PUT', `${apiBase}/ratings/${criterion.key}`, { rating: rating || null, reason, expectedVersion: version }),
    onSuccess: async (result) => {
      setVersion(result.rating.version);
      await queryClient.invalidateQueries({ queryKey: ['consolidation'] });
    },
    onError: (error) => {
      const current = (error as { current?: { rating: string | null; reason: string; version: number } | null }).current;
      if (current !== undefined) {
        setRating(current?.rating ?? '');
        setReason(current?.reason ?? '');
        setVersion(current?.version ?? 0);
      }
    },
  });
  const differs = rating !== '' && rating !== criterion.derivedRating;
  if (!canEdit) return null;
  return (
    <Form label={t('consolidation.formLabel', { name: criterion.name })} onSubmit={() => save.mutate()}>
      <ErrorSummary error={save.error} />
      {save.isSuccess ? <p className="kern-body kern-body--small" role="status">{t('consolidation.saved')}</p> : null}
      <SelectField
        label={t('consolidation.rating')}
        name={`rating-${criterion.key}`}
        value={rating}
        onChange={setRating}
        options={[
          {
            value: '',
            label: criterion.derivedRating ? t('consolidation.useDerived', { rating: optionText(scale, criterion.derivedRating, t) }) : t('consolidation.useDerivedOpen'),
          },
          ...scale.map((option) => ({ value: option.key, label: `${option.symbol} ${option.label}` })),
        ]}
      />
      {differs ? (
        <TextArea
          label={t('consolidation.reason')}
          hint={t('consolidation.reasonHint')}
          name={`reason-${criterion.key}`}
          rows={2}
          value={reason}
          onChange={setReason}
          error={fieldErrorsOf(save.error).reason}
        />
      ) : null}
      <div>
        <Button type="submit" variant="secondary" isBusy={save.isPending}>{t('consolidation.save')}</Button>
      </div>
    </Form>
  );
}

/** Koordination: every answer by person, where people disagree, and the consolidated rating per criterion. */
export default function ConsolidationPage() {
  const { t } = useTranslation();
  const { slug = '', number = '' } = useParams();
  const apiBase = `/api/kommunen/${slug}/rounds/${number}`;
  const data = useQuery({ queryKey: ['consolidation', slug, number], queryFn: () => api<Consolidation>('GET', `${apiBase}/consolidation`) });
  const overview = useQuery({ queryKey: ['round', slug, number], queryFn: () => api<{ permissions: Record<string, boolean> }>('GET', apiBase) });
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('consolidation.title', { number })}><ErrorSummary error={data.error} /></Page>;
  const { fields, answerScale, round } = data.data;
  const canEdit = round.status === 'open' && (overview.data?.permissions['round.manage'] ?? false);
  const disputed = fields.flatMap((field) => field.criteria.filter((criterion) => criterion.isDisputed)).length;
  return (
    <Page title={t('consolidation.title', { number })} lead={t('consolidation.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}`}>{t('answers.backToRound', { number })}</Link>
      </nav>
      {round.status === 'closed' ? <Alert tone="info" title={t('consolidation.closed')} /> : null}
      <p className="kern-body">{t('consolidation.disputedCount', { count: disputed })}</p>
      <nav aria-labelledby="consolidation-toc" className="kern-stack-xs">
        <h2 id="consolidation-toc" className="kern-heading kern-title kern-title--small">{t('catalog.fields')}</h2>
        <ul className="kern-list">
          {fields.map((field) => (
            <li key={field.key}><a className="kern-link" href={`#konsolidierung-${field.key}`}>{field.key}. {field.name}</a></li>
          ))}
        </ul>
      </nav>
      {fields.map((field) => (
        <section key={field.key} aria-labelledby={`konsolidierung-${field.key}`} className="kern-stack catalog-field">
          <h2 id={`konsolidierung-${field.key}`} className="kern-heading kern-title">{t('catalog.fieldHeading', { number: field.key, name: field.name })}</h2>
          <p className="kern-body">
            {t('consolidation.fieldProgress', { answered: field.answeredQuestionCount, total: field.questionCount, people: t('consolidation.people', { count: field.respondentCount }) })}
            {'; '}
            {t('consolidation.openCriteria', { count: field.openCriterionCount })}
          </p>
          {field.criteria.map((criterion) => (
            <article key={criterion.key} aria-labelledby={`k-${criterion.key}`} className={`kern-stack-sm consolidation-criterion${criterion.isDisputed ? ' is-disputed' : ''}`}>
              <h3 id={`k-${criterion.key}`} className="kern-heading kern-title kern-title--small">
                {criterion.key} {criterion.name}
                {criterion.status === 'open' ? <span className="kern-badge kern-badge--info disputed-badge">{t('consolidation.openBadge')}</span> : null}
                {criterion.isDisputed ? (
                  <span className="kern-badge kern-badge--warning disputed-badge">
                    <span className="kern-icon kern-icon--warning kern-icon--small" aria-hidden="true" /> {t('consolidation.disputed')}
                  </span>
                ) : null}
              </h3>
              <p className="kern-body">
                {t('consolidation.derived')}: <strong>{optionText(answerScale, criterion.derivedRating, t)}</strong>
                {criterion.derivedValue !== null ? ` (${t('consolidation.mean', { value: criterion.derivedValue.toLocaleString('de-DE', { maximumFractionDigits: 2 }) })})` : ''}
                {criterion.consolidatedRating ? (
                  <>
                    {' · '}
                    {t('consolidation.consolidated')}: <strong>{optionText(answerScale, criterion.consolidatedRating, t)}</strong>
                    {criterion.reason ? ` – „${criterion.reason}“` : ''}
                  </>
                ) : null}
              </p>
              <TableRegion labelledBy={`k-${criterion.key}-caption`}>
                <table className="kern-table kern-table--small">
                  <caption id={`k-${criterion.key}-caption`} className="kern-sr-only">{t('consolidation.answersOf', { name: criterion.name })}</caption>
                  <thead className="kern-table__head">
                    <tr className="kern-table__row">
                      <th scope="col" className="kern-table__header">{t('consolidation.question')}</th>
                      <th scope="col" className="kern-table__header">{t('consolidation.answers')}</th>
                    </tr>
                  </thead>
                  <tbody className="kern-table__body">
                    {criterion.questions.map((question) => (
                      <tr className="kern-table__row" key={question.key}>
                        <th scope="row" className="kern-table__cell question-cell">
                          <span className="question-key">{question.key}</span> {question.text}
                          {question.spread >= 2 ? <div className="kern-body kern-body--small disputed-text">{t('consolidation.spread', { steps: question.spread })}</div> : null}
                        </th>
                        <td className="kern-table__cell">
                          {question.answers.length === 0 ? t('consolidation.noAnswers') : (
                            <ul className="answer-list">
                              {question.answers.map((entry) => (
                                <li key={entry.userId}>
                                  {entry.name}: <strong>{entry.value ? optionText(answerScale, entry.value, t) : t('consolidation.commentOnly')}</strong>
                                  {entry.comment ? <div className="kern-body kern-body--small">„{entry.comment}“</div> : null}
                                  {entry.evidence ? <div className="kern-body kern-body--small">{t('answers.evidence')}: {/^https?:\/\//.test(entry.evidence) ? <a className="kern-link" href={entry.evidence} rel="noopener noreferrer nofollow">{entry.evidence}</a> : entry.evidence}</div> : null}
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
              <RatingForm apiBase={apiBase} criterion={criterion} scale={answerScale} canEdit={canEdit} />
            </article>
          ))}
        </section>
      ))}
    </Page>
  );
}
