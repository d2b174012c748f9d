import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { acceptedEvidence, evidenceTypes } from '../../../domain/evidence-file.ts';
import { belegVersionUrl, useBelege, useChangeBeleg, useDeleteBeleg, type Beleg, type BelegLink } from '../../api/belege.ts';
import { api } from '../../api/client.ts';
import type { KommuneOverview } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { formatBytes, formatDate, formatDateTime } from '../../format.ts';
import { UploadForm } from './upload-form.tsx';
import '../../i18n/later.ts';
import './belege.css';

/** „PDF“, „DOCX“, „JPG“: the kind of file by the type the server found in its content. */
function typeName(mediaType: string): string {
  return Object.values(evidenceTypes).find((type) => type.mediaType === mediaType)?.extension.toUpperCase() ?? mediaType;
}

/** „Runde 1: Leitfrage 1.2.3“ */
function LinkText({ link }: { link: BelegLink }) {
  const { t } = useTranslation();
  return <>{t(link.kind === 'question' ? 'belege.linkQuestion' : 'belege.linkCriterion', { round: link.round, key: link.key })}</>;
}

/** Opens a version: a PDF in a new tab (the browser's viewer), every other type as a download. */
function OpenLink({ slug, beleg, version, label }: { slug: string; beleg: Beleg; version: Beleg['versions'][number]; label: string }) {
  const { t } = useTranslation();
  const href = belegVersionUrl(slug, beleg.id, version.number);
  const isPdf = version.mediaType === 'application/pdf';
  return isPdf ? (
    <a className="kern-link" href={href} target="_blank" rel="noopener noreferrer">
      {label}
      <span className="kern-sr-only"> {t('belege.newTab')}</span>
    </a>
  ) : (
    <a className="kern-link" href={href} download={version.fileName}>
      {label}
    </a>
  );
}

function EditForm({ slug, beleg, onClose }: { slug: string; beleg: Beleg; onClose: (isSaved: boolean) => void }) {
  const { t } = useTranslation();
  const change = useChangeBeleg(slug);
  const [title, setTitle] = useState(beleg.title);
  const [documentDate, setDocumentDate] = useState(beleg.documentDate ?? '');
  const errors = fieldErrorsOf(change.error);
  return (
    <div className="kern-stack-sm">
      <ErrorSummary error={change.error} />
      <Form label={t('belege.editTitle', { title: beleg.title })} onSubmit={() => change.mutate({ id: beleg.id, changes: { title: title.trim(), documentDate: documentDate || null } }, { onSuccess: () => onClose(true) })}>
        <TextField label={t('belege.fields.title')} name="title" value={title} onChange={setTitle} error={errors.title} maxLength={200} />
        <TextField label={t('belege.fields.documentDate')} name="documentDate" type="date" isOptional value={documentDate} onChange={setDocumentDate} error={errors.documentDate} />
        <div className="toolbar">
          <Button type="submit" isBusy={change.isPending}>{t('common.save')}</Button>
          <Button variant="secondary" onClick={() => onClose(false)}>{t('common.cancel')}</Button>
        </div>
      </Form>
    </div>
  );
}

/** One Beleg as a card: its facts, what it backs, its history, and the actions the person may take. */
function BelegCard({ slug, beleg, canUpload, canManage, maxBytes, onDeleted }: { slug: string; beleg: Beleg; canUpload: boolean; canManage: boolean; maxBytes: number; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'none' | 'edit' | 'version'>('none');
  const [status, setStatus] = useState('');
  const versionButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const change = useChangeBeleg(slug);
  const remove = useDeleteBeleg(slug);
  const headingId = `beleg-${beleg.id}`;
  const current = beleg.current;
  const versionCount = beleg.versions.length;
  return (
    <li className="beleg">
      <article aria-labelledby={headingId} className="kern-stack-sm">
        <h3 id={headingId} className="kern-heading kern-title kern-title--small">
          {beleg.title}
        </h3>
        <dl className="kern-description-list beleg__facts">
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('belege.fields.documentDate')}</dt>
            <dd className="kern-description-list-item__value">{beleg.documentDate ? formatDate(beleg.documentDate) : t('common.notGiven')}</dd>
          </div>
          {current ? (
            <>
              <div className="kern-description-list-item">
                <dt className="kern-description-list-item__key">{t('belege.fields.file')}</dt>
                <dd className="kern-description-list-item__value">
                  <OpenLink slug={slug} beleg={beleg} version={current} label={current.fileName} />
                </dd>
              </div>
              <div className="kern-description-list-item">
                <dt className="kern-description-list-item__key">{t('belege.fields.typeAndSize')}</dt>
                <dd className="kern-description-list-item__value">
                  {typeName(current.mediaType)}, {formatBytes(current.size)}
                </dd>
              </div>
            </>
          ) : null}
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('belege.fields.versions')}</dt>
            <dd className="kern-description-list-item__value">{t('belege.versionCount', { count: versionCount })}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('belege.fields.links')}</dt>
            <dd className="kern-description-list-item__value">
              {beleg.links.length === 0 ? (
                t('belege.noLinks')
              ) : (
                <ul className="kern-list">
                  {beleg.links.map((link) => (
                    <li key={`${link.round}-${link.kind}-${link.key}`}>
                      <LinkText link={link} />
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('belege.fields.released')}</dt>
            <dd className="kern-description-list-item__value">{beleg.releasedForReaders ? t('belege.yes') : t('belege.no')}</dd>
          </div>
        </dl>
        <details className="beleg__history">
          <summary className="kern-body">{t('belege.history', { count: versionCount })}</summary>
          <ol className="kern-list beleg__versions" reversed>
            {beleg.versions.map((version) => (
              <li key={version.number} className="kern-body kern-body--small">
                <OpenLink slug={slug} beleg={beleg} version={version} label={t('belege.versionLabel', { number: version.number })} />
                {': '}
                {t('belege.versionFacts', {
                  name: version.fileName,
                  type: typeName(version.mediaType),
                  size: formatBytes(version.size),
                  when: formatDateTime(version.uploadedAt),
                })}
                {version.uploadedBy ? ` ${t('belege.versionBy', { name: version.uploadedBy })}` : ''}
              </li>
            ))}
          </ol>
        </details>
        {canUpload || canManage ? (
          <div className="toolbar">
            {canUpload ? (
              <>
                <button ref={versionButton} type="button" className="kern-btn kern-btn--secondary kern-btn--small" aria-expanded={open === 'version'} onClick={() => setOpen(open === 'version' ? 'none' : 'version')}>
                  <span className="kern-label">{t('belege.newVersion')}</span>
                </button>
                <button ref={editButton} type="button" className="kern-btn kern-btn--secondary kern-btn--small" aria-expanded={open === 'edit'} onClick={() => setOpen(open === 'edit' ? 'none' : 'edit')}>
                  <span className="kern-label">{t('belege.edit')}</span>
                </button>
              </>
            ) : null}
            {canManage ? (
              <>
                <Button variant="secondary" isBusy={change.isPending} onClick={() => {
                    setStatus('');
                    change.mutate(
                      { id: beleg.id, changes: { releasedForReaders: !beleg.releasedForReaders } },
                      { onSuccess: (changed) => setStatus(changed.releasedForReaders ? t('belege.released') : t('belege.unreleased')) },
                    );
                  }}>
                  {beleg.releasedForReaders ? t('belege.unrelease') : t('belege.release')}
                </Button>
                <ConfirmButton
                  label={t('belege.delete')}
                  accessibleLabel={`${t('belege.delete')}: ${beleg.title}`}
                  question={t('belege.deleteQuestion', { title: beleg.title, count: versionCount })}
                  confirmLabel={t('belege.deleteConfirm')}
                  // mutateAsync: the card is gone once the list is fresh, and a mutate callback would not run any more.
                  onConfirm={() => void remove.mutateAsync(beleg.id).then(onDeleted, () => undefined)}
                >
                  <p className="kern-body">{beleg.links.length ? t('belege.deleteLinks', { count: beleg.links.length }) : t('belege.deleteNoLinks')}</p>
                </ConfirmButton>
              </>
            ) : null}
          </div>
        ) : null}
        <ErrorSummary error={change.error && open !== 'edit' ? change.error : remove.error} />
        {open === 'edit' ? (
          <EditForm
            slug={slug}
            beleg={beleg}
            onClose={(isSaved) => {
              setOpen('none');
              setStatus(isSaved ? t('belege.saved') : '');
              editButton.current?.focus();
            }}
          />
        ) : null}
        {open === 'version' ? (
          <section aria-label={t('belege.upload.versionTitle', { title: beleg.title })} className="beleg__version-upload">
            <UploadForm
              slug={slug}
              maxBytes={maxBytes}
              documentId={beleg.id}
              documentTitle={beleg.title}
              onDone={() => {
                setOpen('none');
                setStatus(t('belege.versionUploaded'));
                versionButton.current?.focus();
              }}
            />
          </section>
        ) : null}
        <p className="kern-body kern-body--small live-status" role="status" aria-live="polite">
          {status}
        </p>
      </article>
    </li>
  );
}

/** „Belege“ of a Kommune: every document that backs answers, its versions and links; upload and manage. */
export default function BelegePage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const list = useBelege(slug);
  const [deleted, setDeleted] = useState('');
  const listHeading = useRef<HTMLHeadingElement>(null);
  const overview = useQuery({ queryKey: ['kommune', slug], queryFn: () => api<KommuneOverview>('GET', `/api/kommunen/${slug}`) });
  if (list.isPending) return <Loading />;
  const name = overview.data?.kommune.name;
  return (
    <Page title={t('belege.title')} lead={name ? t('belege.lead', { name }) : undefined}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>
          {name ? t('belege.backToKommune', { name }) : t('report.back')}
        </Link>
      </nav>
      <ErrorSummary error={list.error} />
      {list.data ? (
        <>
          {list.data.canUpload ? (
            <section aria-labelledby="upload-heading" className="kern-stack narrow">
              <h2 id="upload-heading" className="kern-heading kern-title">
                {t('belege.upload.title')}
              </h2>
              <UploadForm slug={slug} maxBytes={list.data.maxBytes} />
            </section>
          ) : null}
          <section aria-labelledby="list-heading" className="kern-stack">
            <h2 id="list-heading" className="kern-heading kern-title" tabIndex={-1} ref={listHeading}>
              {t('belege.listTitle', { count: list.data.documents.length })}
            </h2>
            <p className="kern-body live-status" role="status" aria-live="polite">
              {deleted}
            </p>
            {list.data.canUpload ? (
              <p className="kern-body kern-body--small">{t('belege.used', { used: formatBytes(list.data.usedBytes), quota: formatBytes(list.data.quotaBytes) })}</p>
            ) : null}
            {list.data.canManage ? <p className="kern-body kern-body--small">{t('belege.releaseNote')}</p> : null}
            {list.data.documents.length === 0 ? (
              <Alert tone="info" title={list.data.canUpload ? t('belege.emptyTitle') : t('belege.emptyReaderTitle')}>
                <p className="kern-body">{t('belege.emptyWhat')}</p>
                <p className="kern-body">{t('belege.emptyTypes', { types: acceptedEvidence, max: formatBytes(list.data.maxBytes) })}</p>
              </Alert>
            ) : (
              <ul className="beleg-list">
                {list.data.documents.map((beleg) => (
                  <BelegCard key={beleg.id} slug={slug} beleg={beleg} canUpload={list.data.canUpload} canManage={list.data.canManage} maxBytes={list.data.maxBytes} onDeleted={() => {
                    setDeleted(t('belege.deleted', { title: beleg.title }));
                    listHeading.current?.focus();
                  }} />
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
    </Page>
  );
}
