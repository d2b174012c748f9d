import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { NoteKind } from '../../domain/discussion.ts';
import { belegVersionUrl, useBelege, useLinkBeleg, type Beleg } from '../api/belege.ts';
import { ApiError } from '../api/client.ts';
import { formatDate } from '../format.ts';
import { Button, ErrorSummary, fieldErrorsOf, SelectField } from './form.tsx';

/** A Beleg's title as the link that opens its current version: a PDF in a new tab (said to screen readers), other types as a download. */
export function BelegLink({ slug, beleg }: { slug: string; beleg: Beleg }) {
  const { t } = useTranslation();
  const current = beleg.current;
  if (!current) return <>{beleg.title}</>;
  const isPdf = current.mediaType === 'application/pdf';
  return (
    <a className="kern-link" href={belegVersionUrl(slug, beleg.id, current.number)} {...(isPdf ? { target: '_blank', rel: 'noopener noreferrer' } : { download: current.fileName })}>
      {beleg.title}
      {isPdf ? <span className="kern-sr-only"> {t('evidenceLinks.newTab')}</span> : null}
    </a>
  );
}

export interface EvidenceLinksProps {
  /** The Kommune. */
  slug: string;
  /** The round's number. */
  round: number;
  /** A question („1.2.3“) or a criterion („1.2“) of that round. */
  kind: NoteKind;
  subjectKey: string;
  /**
   * Whether the page lets this person change the links here: the round is open and she may answer
   * this Handlungsfeld (Mitwirkende only their own). Linking also needs the right to upload Belege,
   * which this component reads from the list; the server checks everything again.
   */
  canEdit: boolean;
  /** The group's name for screen readers, e.g. „Belege zu Leitfrage 1.2.3“; default „Belege“. */
  label?: string;
}

/**
 * The Belege linked to one question or criterion of a round (issue 18), each with a link to open it
 * (a PDF in a new tab, other types as a download); with `canEdit`, a select of the Kommune's other
 * Belege to attach one, and „Verknüpfung lösen“ per linked Beleg. New files are uploaded on the
 * page „Belege“ (linked from here). Shares the list's query with that page, so both stay current.
 *
 * Use: `<EvidenceLinks slug={slug} round={2} kind="criterion" subjectKey="1.2" canEdit={isOpen} />`
 */
export function EvidenceLinks({ slug, round, kind, subjectKey, canEdit, label }: EvidenceLinksProps) {
  const { t } = useTranslation();
  const labelId = useId();
  const list = useBelege(slug);
  const link = useLinkBeleg(slug);
  const [chosen, setChosen] = useState('');
  const [choiceError, setChoiceError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const subject = { round, kind, key: subjectKey };
  const isLinkedHere = (beleg: Beleg) => beleg.links.some((entry) => entry.round === round && entry.kind === kind && entry.key === subjectKey);
  const documents = list.data?.documents ?? [];
  const linked = documents.filter(isLinkedHere);
  const others = documents.filter((beleg) => !isLinkedHere(beleg));
  const mayEdit = canEdit && list.data?.canUpload === true;

  const change = (beleg: Beleg, isLinked: boolean) => {
    setStatus('');
    link.mutate(
      { id: beleg.id, subject, isLinked },
      {
        onSuccess: () => {
          setStatus(t(isLinked ? 'evidenceLinks.linked' : 'evidenceLinks.removed', { title: beleg.title }));
          if (isLinked) setChosen('');
        },
      },
    );
  };
  const attach = () => {
    const beleg = others.find((candidate) => candidate.id === chosen);
    if (!beleg) {
      setChoiceError(new ApiError(400, 'invalid-input', '', { beleg: t('evidenceLinks.chooseFirst') }));
      return;
    }
    setChoiceError(null);
    change(beleg, true);
  };
  const error = choiceError ?? link.error;

  return (
    <div className="evidence-links kern-stack-sm" role="group" aria-labelledby={labelId}>
      <p id={labelId} className="kern-label">
        {label ?? t('evidenceLinks.heading')}
      </p>
      {list.error ? <ErrorSummary error={list.error} /> : null}
      {linked.length === 0 ? (
        <p className="kern-body kern-body--small">{t('evidenceLinks.none')}</p>
      ) : (
        <ul className="kern-list">
          {linked.map((beleg) => {
            return (
              <li key={beleg.id} className="evidence-links__item">
                <BelegLink slug={slug} beleg={beleg} />
                {beleg.documentDate ? <span className="kern-body kern-body--small"> ({formatDate(beleg.documentDate)})</span> : null}
                {mayEdit ? (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="kern-btn kern-btn--tertiary kern-btn--x-small"
                      aria-label={`${t('evidenceLinks.remove')}: ${beleg.title}`}
                      disabled={link.isPending}
                      onClick={() => change(beleg, false)}
                    >
                      <span className="kern-label">{t('evidenceLinks.remove')}</span>
                    </button>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorSummary error={error} />
      {mayEdit ? (
        documents.length === 0 ? (
          <p className="kern-body kern-body--small">
            {t('evidenceLinks.noBelege')} <Link className="kern-link" to={`/kommunen/${slug}/belege`}>{t('evidenceLinks.toBelege')}</Link>
          </p>
        ) : others.length === 0 ? (
          <p className="kern-body kern-body--small">{t('evidenceLinks.noneToChoose')}</p>
        ) : (
          <div className="kern-stack-xs">
            <SelectField
              label={t('evidenceLinks.choose')}
              name="beleg"
              hint={t('evidenceLinks.chooseHint')}
              placeholder={t('evidenceLinks.placeholder')}
              value={chosen}
              onChange={setChosen}
              error={fieldErrorsOf(error).beleg}
              options={others.map((beleg) => ({ value: beleg.id, label: beleg.documentDate ? `${beleg.title} (${formatDate(beleg.documentDate)})` : beleg.title }))}
            />
            <div className="toolbar">
              <Button variant="secondary" isBusy={link.isPending} onClick={attach}>
                {t('evidenceLinks.attach')}
              </Button>
              <Link className="kern-link" to={`/kommunen/${slug}/belege`}>{t('evidenceLinks.toBelege')}</Link>
            </div>
          </div>
        )
      ) : null}
      <p className="kern-sr-only" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
