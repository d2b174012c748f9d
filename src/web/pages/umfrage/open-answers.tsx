import { useTranslation } from 'react-i18next';
import type { ResidentSurvey, SurveyOpenAnswer } from '../../api/from-services/survey.ts';
import { useSurveyActions } from '../../api/survey.ts';
import { ErrorSummary } from '../../components/form.tsx';

type Review = SurveyOpenAnswer['review'];

/** What each review state offers: the two other states. */
const actions: Record<Review, Review[]> = { offen: ['freigegeben', 'verworfen'], freigegeben: ['verworfen', 'offen'], verworfen: ['freigegeben', 'offen'] };

/**
 * The Anmerkungen per open question. Who manages the survey sees all and releases, discards or resets
 * each; everyone else sees only released ones (the server sends no others).
 */
export function OpenAnswers({ slug, number, survey, answers, canManage }: { slug: string; number: string; survey: ResidentSurvey; answers: readonly SurveyOpenAnswer[]; canManage: boolean }) {
  const { t } = useTranslation();
  const { review } = useSurveyActions(slug, number);
  const questions = survey.settings.openQuestions ?? [];
  if (questions.length === 0) return null;
  return (
    <section aria-labelledby="survey-open-heading" className="kern-stack-sm">
      <h2 id="survey-open-heading" className="kern-heading kern-title">{t('survey.open.title')}</h2>
      <p className="kern-body">{canManage ? t('survey.open.leadManage') : t('survey.open.lead')}</p>
      <ErrorSummary error={review.error} />
      {questions.map((question, index) => {
        const own = answers.filter((answer) => answer.questionIndex === index);
        return (
          <div key={index} className="kern-stack-xs">
            <h3 className="kern-heading kern-title kern-title--small">{question.text}</h3>
            {own.length === 0 ? (
              <p className="kern-body">{canManage ? t('survey.open.none') : t('survey.open.noneReleased')}</p>
            ) : (
              <ul className="kern-list survey-open-answers">
                {own.map((answer) => (
                  <li key={answer.id} className={`survey-open-answer survey-open-answer--${answer.review}`}>
                    <p className="kern-body preserve-lines" id={`anmerkung-${answer.id}`} dir="auto">{answer.text}</p>
                    {canManage ? (
                      <>
                        <p className="kern-body kern-body--small">
                          <strong>{t(`survey.open.state.${answer.review}`)}</strong>
                          {answer.excluded ? ` · ${t('survey.open.excluded')}` : ''}
                        </p>
                        <div className="toolbar survey-review-actions">
                          {actions[answer.review].map((next) => (
                            <button
                              key={next}
                              type="button"
                              className="kern-btn kern-btn--secondary kern-btn--x-small"
                              aria-describedby={`anmerkung-${answer.id}`}
                              disabled={review.isPending}
                              onClick={() => review.mutate({ ids: [answer.id], review: next })}
                            >
                              <span className="kern-label">{t(`survey.open.to.${next}`)}</span>
                            </button>
                          ))}
                        </div>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </section>
  );
}
