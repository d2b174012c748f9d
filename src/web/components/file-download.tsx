import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { ErrorSummary } from './form.tsx';

/** The file name the server suggests in Content-Disposition, or a fallback. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/.exec(header)?.[1] ?? fallback;
}

export interface DownloadChoice {
  href: string;
  label: string;
  /** Used when the server names no file. */
  fallbackName: string;
}

/**
 * Buttons that download files the server generates. Unlike plain links, they show the server's
 * German message when a file cannot be made (too large, another one still being made, busy) instead
 * of a failed download in the browser's bar, and say that they are working meanwhile.
 */
export function FileDownloads({ choices }: { choices: DownloadChoice[] }) {
  const { t } = useTranslation();
  const [busyWith, setBusyWith] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const download = async (choice: DownloadChoice) => {
    setBusyWith(choice.label);
    setError(null);
    try {
      const response = await fetch(choice.href, { credentials: 'same-origin' });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
        setError(new ApiError(response.status, body?.error?.code ?? 'unknown', body?.error?.message ?? ''));
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = fileNameOf(response, choice.fallbackName);
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // The browser has taken the file once the click is handled.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      setError(new ApiError(0, 'network', 'offline'));
    } finally {
      setBusyWith(null);
    }
  };
  return (
    <div className="kern-stack-sm">
      <div className="toolbar">
        {choices.map((choice, index) => (
          <button
            key={choice.href}
            type="button"
            className={`kern-btn kern-btn--${index === 0 ? 'primary' : 'secondary'}`}
            aria-disabled={busyWith !== null || undefined}
            disabled={busyWith !== null}
            onClick={() => void download(choice)}
          >
            <span className="kern-icon kern-icon--download" aria-hidden="true" />
            <span className="kern-label">{choice.label}</span>
          </button>
        ))}
      </div>
      <p role="status" className="kern-body kern-body--small">{busyWith ? t('download.busy', { what: busyWith }) : ''}</p>
      <ErrorSummary error={error} />
    </div>
  );
}
