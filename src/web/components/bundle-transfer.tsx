import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { answerOf, api, ApiError } from '../api/client.ts';
import type { ImportResult, ImportStatus } from '../api/types.ts';
import { Button, ErrorSummary, fieldErrorsOf, FileField, Form, TextField } from './form.tsx';
import { ExistingKommuneLink } from './existing-kommune.tsx';
import { Alert } from './page.tsx';
import { formatBytes } from '../format.ts';
import { looksLikeZip } from '../../domain/evidence-file.ts';
import '../i18n/later.ts';

/** Downloads everything of a Kommune as one ZIP file: bundle.json and the Belege (backup, move to another installation). */
export function BundleDownload({ slug }: { slug: string }) {
  const { t } = useTranslation();
  return (
    <a className="kern-btn kern-btn--secondary" href={`/api/kommunen/${slug}/bundle`} download>
      <span className="kern-icon kern-icon--download" aria-hidden="true" />
      <span className="kern-label">{t('bundle.download')}</span>
    </a>
  );
}

/**
 * The chosen file as the request body: the ZIP container as it is (the server reads it as a stream),
 * an older JSON bundle checked here first, so that a wrong file gets its message at once.
 */
async function bundleBodyOf(file: File | null, t: (key: string) => string): Promise<{ body: Blob | string; contentType: string }> {
  if (!file) throw new ApiError(400, 'no-file', t('bundle.noFile'), { file: t('bundle.noFile') });
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (looksLikeZip(head)) return { body: file, contentType: 'application/zip' };
  try {
    const text = await file.text();
    JSON.parse(text);
    return { body: text, contentType: 'application/json' };
  } catch {
    throw new ApiError(400, 'not-json', t('bundle.notJson'), { file: t('bundle.notJson') });
  }
}

async function postBundle(path: string, { body, contentType }: { body: Blob | string; contentType: string }): Promise<ImportResult> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': contentType, accept: 'application/json' }, body });
  } catch {
    throw new ApiError(0, 'network', 'offline');
  }
  return (await answerOf<{ result: ImportResult }>(response)).result;
}

function ImportSummary({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  return (
    <Alert tone="success" title={t('bundle.imported', { name: result.name })} focus>
      <div className="kern-stack-sm">
        <p className="kern-body">
          {t('bundle.importedRounds', { count: result.rounds, answers: result.answers })}{' '}
          {t('bundle.importedPeople', { count: result.peopleMatched + result.peopleCreated, created: result.peopleCreated })}
        </p>
        {result.residentSurveys > 0 ? <p className="kern-body">{t('bundle.importedSurveys', { count: result.residentSurveys, responses: result.residentResponses })}</p> : null}
        {result.belege > 0 ? <p className="kern-body">{t('bundle.importedBelege', { count: result.belege, size: formatBytes(result.belegeBytes) })}</p> : null}
        {result.surveysWithNewLink > 0 ? <p className="kern-body">{t('bundle.surveysNewLink', { count: result.surveysWithNewLink })}</p> : null}
        {result.peopleCreated > 0 ? <p className="kern-body">{t('bundle.inviteCreated')}</p> : null}
        {result.offersSkipped.length > 0 ? (
          <p className="kern-body">{t('bundle.offersSkipped', { titles: result.offersSkipped.join(', ') })}</p>
        ) : null}
        <p className="kern-body">
          <Link className="kern-link" to={`/kommunen/${result.slug}`}>
            {t('bundle.toKommune', { name: result.name })}
          </Link>
        </p>
      </div>
    </Alert>
  );
}

/**
 * The running import's progress, polled from the server (the import writes in chunks and records how
 * far it is): a progress bar with its label, and the same as text for screen readers (aria-live).
 */
function ImportProgress() {
  const { t } = useTranslation();
  const status = useQuery({
    queryKey: ['import-status'],
    queryFn: () => api<{ import: ImportStatus | null }>('GET', '/api/kommunen/import/status'),
    refetchInterval: 500,
    gcTime: 0,
  });
  const job = status.data?.import;
  // One upload per person runs at a time, so a running import of this person is this one.
  const current = job && job.status === 'running' ? job : null;
  const percent = current && current.total > 0 ? Math.floor((current.done / current.total) * 100) : 0;
  const text = !current
    ? t('bundle.progressChecking')
    : current.done >= current.total
      ? t('bundle.progressFinishing')
      : t('bundle.progressWriting', { done: current.done.toLocaleString('de-DE'), total: current.total.toLocaleString('de-DE'), percent });
  return (
    <div className="kern-stack-sm">
      <label className="kern-label" htmlFor="bundle-progress">
        {t('bundle.progressLabel')}
      </label>
      {current ? <progress id="bundle-progress" max={current.total || 1} value={current.done} /> : <progress id="bundle-progress" />}
      <p className="kern-body" role="status" aria-live="polite">
        {text}
      </p>
    </div>
  );
}

/**
 * Uploads a bundle: as a new Kommune (Programmteam), or into the given Kommune while it is empty.
 * The file is read in the browser; the server checks every field and names the first problem.
 */
export function BundleUpload({ into }: { into?: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [slug, setSlug] = useState('');
  const upload = useMutation({
    mutationFn: async () => {
      const body = await bundleBodyOf(file, t);
      const path = into ? `/api/kommunen/${into}/bundle` : `/api/kommunen/import${slug.trim() ? `?slug=${encodeURIComponent(slug.trim())}` : ''}`;
      return postBundle(path, body);
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const errors = fieldErrorsOf(upload.error);
  const title = into ? t('bundle.uploadInto') : t('bundle.uploadNew');
  return (
    <section aria-labelledby="bundle-upload-heading" className="kern-stack narrow">
      <h2 id="bundle-upload-heading" className="kern-heading kern-title">
        {title}
      </h2>
      <p className="kern-body">{into ? t('bundle.uploadIntoLead') : t('bundle.uploadNewLead')}</p>
      {upload.isPending ? <ImportProgress /> : null}
      {upload.data ? <ImportSummary result={upload.data} /> : null}
      <ErrorSummary error={upload.error} />
      <ExistingKommuneLink error={upload.error} />
      <Form label={title} onSubmit={() => upload.mutate()}>
        <FileField label={t('bundle.file')} name="file" hint={t('bundle.fileHint')} accept=".zip,application/zip,.json,application/json" onChange={setFile} error={errors.file} />
        {into ? null : (
          <TextField label={t('bundle.slug')} name="slug" hint={t('bundle.slugHint')} isOptional value={slug} onChange={setSlug} error={errors.slug} />
        )}
        <div>
          <Button type="submit" isBusy={upload.isPending}>
            {t('bundle.submit')}
          </Button>
        </div>
      </Form>
    </section>
  );
}
