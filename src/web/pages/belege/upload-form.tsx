import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acceptedEvidence, evidenceAccept, typicalBelegeOf } from '../../../domain/evidence-file.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { useEvidenceUpload, type UploadState } from '../../api/belege.ts';
import { ApiError } from '../../api/client.ts';
import { Button, ErrorSummary, errorMessage, fieldErrorsOf, FileField, Form, TextField } from '../../components/form.tsx';
import { Alert } from '../../components/page.tsx';
import { formatBytes, formatProgress } from '../../format.ts';

/** What the live region says: only changes of phase, not every slice (the progress bar has the numbers). */
function statusText(state: UploadState, t: (key: string, options?: Record<string, unknown>) => string): string {
  switch (state.phase) {
    case 'sending':
      return t('belege.upload.statusSending');
    case 'checking':
      return t('belege.upload.statusChecking');
    case 'interrupted':
      return t('belege.upload.statusInterrupted', formatProgress(state.sent, state.size));
    case 'cancelled':
      return t('belege.upload.statusCancelled');
    case 'done':
      return t('belege.upload.statusDone', { title: state.beleg.title });
    case 'refused':
      return t('belege.upload.statusRefused');
    default:
      return '';
  }
}

/**
 * The upload of a new Beleg (file, title, date) or, with `documentId`, of a new version (file only):
 * a normal file input, a progress bar with „3,2 von 20,0 MB hochgeladen“, the phase in a live region,
 * „Erneut versuchen“ after a broken connection, and the server's refusal at the file field.
 */
export function UploadForm({ slug, maxBytes, documentId, documentTitle, onDone }: { slug: string; maxBytes: number; documentId?: string; documentTitle?: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const progressId = useId();
  const { state, start, retry, cancel, reset } = useEvidenceUpload(slug);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  // Catalog 1.1 names typical Belege per question: offered while typing the title.
  const catalog = useCurrentCatalog();
  const suggestions = catalog.data ? typicalBelegeOf(catalog.data.catalog) : [];
  const [documentDate, setDocumentDate] = useState('');
  const [localError, setLocalError] = useState<ApiError | null>(null);
  // A new key empties the file input after a finished upload.
  const [formKey, setFormKey] = useState(0);
  const isVersion = documentId !== undefined;
  const isBusy = state.phase === 'sending' || state.phase === 'checking';
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;

  useEffect(() => {
    if (state.phase !== 'done') return;
    setFile(null);
    setTitle('');
    setDocumentDate('');
    setFormKey((key) => key + 1);
    onDoneRef.current?.();
  }, [state.phase]);

  const submit = () => {
    if (isBusy) return;
    const fields: Record<string, string> = {};
    if (!file) fields.file = t('belege.upload.noFile');
    else if (file.size === 0) fields.file = t('belege.upload.emptyFile', { name: file.name });
    else if (file.size > maxBytes) fields.file = t('belege.upload.tooLarge', { name: file.name, size: formatBytes(file.size), max: formatBytes(maxBytes) });
    if (!isVersion && !title.trim()) fields.title = t('belege.upload.noTitle');
    if (Object.keys(fields).length) {
      setLocalError(new ApiError(400, 'invalid-input', '', fields));
      return;
    }
    setLocalError(null);
    start(file!, isVersion ? { documentId } : { title: title.trim(), documentDate: documentDate || null });
  };

  const error = localError ?? (state.phase === 'refused' ? state.error : null);
  const errors = fieldErrorsOf(error);
  const label = isVersion ? t('belege.upload.versionTitle', { title: documentTitle }) : t('belege.upload.title');
  const moving = state.phase === 'sending' || state.phase === 'checking' || state.phase === 'interrupted' ? state : null;
  const progress = moving ? formatProgress(moving.sent, moving.size) : null;

  return (
    <div className="kern-stack">
      <ErrorSummary error={error} />
      <Form label={label} onSubmit={submit}>
        <FileField
          key={formKey}
          label={t('belege.upload.file')}
          name="file"
          hint={t('belege.upload.fileHint', { types: acceptedEvidence, max: formatBytes(maxBytes) })}
          accept={evidenceAccept}
          error={errors.file}
          onChange={(chosen) => {
            setFile(chosen);
            if (state.phase !== 'idle' && !isBusy) reset();
          }}
        />
        {isVersion ? null : (
          <>
            <TextField label={t('belege.fields.title')} name="title" hint={suggestions.length ? t('belege.upload.titleHint') : undefined} value={title} onChange={setTitle} error={errors.title} maxLength={200} suggestions={suggestions} />
            <TextField label={t('belege.fields.documentDate')} name="documentDate" type="date" isOptional hint={t('belege.upload.dateHint')} value={documentDate} onChange={setDocumentDate} error={errors.documentDate} />
          </>
        )}
        {moving && progress ? (
          <div className="kern-stack-xs upload-progress">
            <label className="kern-label" htmlFor={progressId}>
              {t('belege.upload.progressLabel', { name: file?.name ?? '' })}
            </label>
            <progress id={progressId} max={moving.size} value={moving.sent} />
            <p className="kern-body kern-body--small">{t('belege.upload.progressText', progress)}</p>
          </div>
        ) : null}
        {state.phase === 'interrupted' ? (
          <Alert tone="warning" title={t('belege.upload.interruptedTitle')}>
            <p className="kern-body">{errorMessage(state.error, t)}</p>
            <p className="kern-body">{t('belege.upload.interruptedHint')}</p>
          </Alert>
        ) : null}
        <div className="toolbar">
          {/* One main button that stays in place (and keeps the focus): „Hochladen“, busy while sending, „Erneut versuchen“ after a break. */}
          <button
            type={state.phase === 'interrupted' ? 'button' : 'submit'}
            className="kern-btn kern-btn--primary"
            aria-disabled={isBusy || undefined}
            onClick={state.phase === 'interrupted' ? retry : undefined}
          >
            <span className="kern-label">{state.phase === 'interrupted' ? t('belege.upload.retry') : t('belege.upload.submit')}</span>
          </button>
          {isBusy || state.phase === 'interrupted' ? (
            <Button variant="secondary" onClick={cancel}>
              {t('belege.upload.cancel')}
            </Button>
          ) : null}
        </div>
        <p className="kern-body live-status" role="status" aria-live="polite">
          {statusText(state, t)}
        </p>
      </Form>
    </div>
  );
}
