import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { AnswerInput } from '../../../domain/api/rounds.ts';
import type { AnswerKey, AnswerOption, MyAnswer } from '../../api/types.ts';
import type { ChangedBy } from '../../../domain/conflict.ts';
import { useAutosave } from '../../components/autosave.ts';
import type { SaveState } from '../../components/autosave-rules.ts';
import { ConflictPanel, MergeNote, SaveStatus } from '../../components/autosave-status.tsx';

interface Draft {
  value: AnswerKey | null;
  comment: string;
  evidence: string;
}

const draftParts = ['value', 'comment', 'evidence'] as const;

export interface QuestionEditorProps {
  apiBase: string;
  draftKey: string;
  /** yesMeans and evidence come from catalog 1.1; a 1.0 round has neither. */
  question: { key: string; text: string; yesMeans?: string | null; evidence?: string[]; answer: MyAnswer | null };
  answerScale: AnswerOption[];
  canAnswer: boolean;
  onAnswered: (questionKey: string, isAnswered: boolean) => void;
  /** Every change of the save state (the page counts what is pending, and for what). */
  onSaveStateChange: (questionKey: string, state: SaveState) => void;
  /** A returned paper questionnaire: the department the Koordination enters this answer for. */
  onBehalfOf?: string;
  /** The Belege linked to this question (issue 18): how many, and the part that shows and links them. */
  belege?: { count: number; slot: ReactNode };
}

/**
 * One guiding question: the answer options as a real radio group, optional comment and evidence. From
 * catalog 1.1 the question shows what a „ja“ means and its typical Belege (the group's description), each
 * option its anchor (the option's description), and the options without value stand apart. Every
 * change is kept as a draft in the browser first and saved at once (choices) or after a short pause
 * (text); a draft left by a closed tab is restored and saved on the next visit.
 */
export function QuestionEditor({ apiBase, draftKey, question, answerScale, canAnswer, onAnswered, onSaveStateChange, onBehalfOf, belege }: QuestionEditorProps) {
  const { t } = useTranslation();
  const stored = question.answer;
  const { restored, draft, state, savedAt, version, change, flush, status, resolution, takenOver } = useAutosave({
    draftKey,
    canRestore: canAnswer,
    initial: { value: stored?.value ?? null, comment: stored?.comment ?? '', evidence: stored?.evidence ?? '' },
    initialVersion: stored?.version ?? 0,
    initialSavedAt: stored?.updatedAt ?? null,
    parts: draftParts,
    send: (sent: Draft, expectedVersion) =>
      api<{ answer: MyAnswer }>('PUT', `${apiBase}/answers/${question.key}`, { ...sent, expectedVersion, ...(onBehalfOf ? { onBehalfOf } : {}) } satisfies AnswerInput),
    savedVersion: ({ answer }) => ({ version: answer.version, savedAt: answer.updatedAt }),
    onSaved: ({ answer }) => onAnswered(question.key, answer.value !== null),
    serverVersion: (body) => {
      const current = (body as (MyAnswer & { changedBy?: ChangedBy }) | null | undefined) ?? null;
      return {
        draft: { value: current?.value ?? null, comment: current?.comment ?? '', evidence: current?.evidence ?? '' },
        version: current?.version ?? 0,
        savedAt: current?.updatedAt ?? null,
        changedBy: current?.changedBy ?? null,
      };
    },
    // A comment or evidence shown in the panel or taken over is shown in its open field too.
    onStale: (shown, merged) => setIsDetailsOpen((open) => open || Boolean(merged.comment || merged.evidence || shown?.theirs.comment || shown?.theirs.evidence)),
    onTakeTheirs: (theirs) => onAnswered(question.key, theirs.value !== null),
  });
  const [isDetailsOpen, setIsDetailsOpen] = useState(Boolean(stored?.comment || stored?.evidence || restored?.comment || restored?.evidence));
  // Linked Belege are content too: once they are known (the list loads after the answers), they open the details once.
  const belegCount = belege?.count ?? 0;
  const [hasShownBelege, setHasShownBelege] = useState(false);
  useEffect(() => {
    if (belegCount > 0 && !hasShownBelege) {
      setHasShownBelege(true);
      setIsDetailsOpen(true);
    }
  }, [belegCount, hasShownBelege]);

  useEffect(() => {
    onSaveStateChange(question.key, state);
  }, [state, question.key, onSaveStateChange]);

  const id = `frage-${question.key.replaceAll('.', '-')}`;
  const evidence = question.evidence ?? [];
  const hasHint = Boolean(question.yesMeans) || evidence.length > 0;
  const hasAnchors = answerScale.some((option) => option.meaning);
  const valueText = (key: AnswerKey | null) => (key ? (answerScale.find((option) => option.key === key)?.label ?? key) : t('answers.conflictNoAnswer'));
  const partLabels = { value: t('answers.answer'), comment: t('answers.comment'), evidence: t('answers.evidence') };
  /** A part of a version as the conflict panel names it. */
  const describePart = (entry: Draft, part: (typeof draftParts)[number]) => (part === 'value' ? valueText(entry.value) : entry[part]);
  const radio = (option: AnswerOption) => (
    <input
      className="kern-form-check__radio"
      type="radio"
      id={`${id}-${option.key}`}
      name={id}
      value={option.key}
      checked={draft.value === option.key}
      disabled={!canAnswer}
      aria-describedby={option.meaning ? `${id}-${option.key}-meaning` : undefined}
      onChange={() => change({ value: option.key }, 0)}
    />
  );
  const anchoredOption = (option: AnswerOption) => (
    <div className="kern-form-check question__option" key={option.key}>
      {radio(option)}
      <label className="kern-label" htmlFor={`${id}-${option.key}`}>
        {option.label}
      </label>
      {option.meaning ? (
        <span className="question__meaning" id={`${id}-${option.key}-meaning`}>
          {option.meaning}
        </span>
      ) : null}
    </div>
  );
  return (
    <fieldset
      className={`kern-fieldset question${state === 'error' || state === 'conflict' ? ' question--problem' : ''}`}
      id={id}
      aria-describedby={hasHint ? `${id}-hint ${id}-status` : `${id}-status`}
    >
      <legend className="kern-label question__text">
        <span className="question__key">{question.key}</span> {question.text}
      </legend>
      {hasHint ? (
        <div className="question__hint" id={`${id}-hint`}>
          {question.yesMeans ? (
            <p className="kern-body kern-body--small">
              <span className="question__hint-term">{t('questionnaire.yesMeans')}</span> {question.yesMeans}
            </p>
          ) : null}
          {evidence.length > 0 ? (
            <p className="kern-body kern-body--small">
              <span className="question__hint-term">{t('questionnaire.typicalEvidence')}</span> {evidence.join(', ')}
            </p>
          ) : null}
        </div>
      ) : null}
      {hasAnchors ? (
        <div className="kern-fieldset__body question__scale">
          <div className="question__valued">{answerScale.filter((option) => option.value !== null).map(anchoredOption)}</div>
          <div className="question__unvalued">{answerScale.filter((option) => option.value === null).map(anchoredOption)}</div>
        </div>
      ) : (
        <div className="kern-fieldset__body kern-fieldset__body--horizontal question__options">
          {answerScale.map((option) => (
            <div className="kern-form-check" key={option.key}>
              {radio(option)}
              <label className="kern-label" htmlFor={`${id}-${option.key}`}>
                {option.label}
              </label>
            </div>
          ))}
        </div>
      )}
      <details className="question__details" open={isDetailsOpen} onToggle={(event) => setIsDetailsOpen((event.target as HTMLDetailsElement).open)}>
        <summary className="kern-body kern-body--small">
          {t('answers.commentAndEvidence')}
          {belegCount > 0 ? ` – ${t('answers.belegeLinked', { count: belegCount })}` : ''}
        </summary>
        <div className="kern-stack-sm question__extra">
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`${id}-comment`}>
              {t('answers.comment')} <span className="kern-label__optional">– {t('common.optional')}</span>
            </label>
            <textarea
              className="kern-form-input__input"
              id={`${id}-comment`}
              rows={2}
              maxLength={5000}
              value={draft.comment}
              disabled={!canAnswer}
              onChange={(event) => change({ comment: event.target.value }, 800)}
              onBlur={flush}
            />
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`${id}-evidence`}>
              {t('answers.evidence')} <span className="kern-label__optional">– {t('common.optional')}</span>
            </label>
            <div className="kern-hint" id={`${id}-evidence-hint`}>
              {evidence.length > 0 ? t('questionnaire.evidenceHintWithExamples', { examples: evidence.join(', ') }) : t('answers.evidenceHint')}
            </div>
            <input
              className="kern-form-input__input"
              id={`${id}-evidence`}
              maxLength={2000}
              aria-describedby={`${id}-evidence-hint`}
              value={draft.evidence}
              disabled={!canAnswer}
              onChange={(event) => change({ evidence: event.target.value }, 800)}
              onBlur={flush}
            />
          </div>
          {belege?.slot}
        </div>
      </details>
      <MergeNote takenOver={takenOver} byYouText={t('answers.conflictByYou')} labels={partLabels} />
      {resolution ? (
        <ConflictPanel
          id={id}
          {...resolution}
          byYouText={t('answers.conflictByYou')}
          labels={partLabels}
          describe={describePart}
          // The evidence is one line: a line break would be lost there.
          appendable={{ comment: { separator: '\n', fieldId: `${id}-comment` }, evidence: { separator: '; ', fieldId: `${id}-evidence` } }}
        />
      ) : null}
      <SaveStatus
        id={id}
        {...status}
        savedAt={savedAt && (stored || version > 0) ? savedAt : null}
        emptyText={t('answers.notAnswered')}
      />
    </fieldset>
  );
}
