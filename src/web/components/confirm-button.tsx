import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button that asks before it acts, in a native modal dialog: focus moves into the dialog, Escape
 * cancels, and focus returns to the button afterwards.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  children,
  variant,
  accessibleLabel,
}: {
  label: string;
  /** A longer name for screen readers when several such buttons share a page; starts with the visible label (WCAG 2.5.3). */
  accessibleLabel?: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  children?: ReactNode;
  /** A full-size button for the main action of a section; without it, a small tertiary one. */
  variant?: 'primary' | 'secondary';
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className={variant ? `kern-btn kern-btn--${variant}` : 'kern-btn kern-btn--tertiary kern-btn--x-small'} aria-label={accessibleLabel} onClick={() => dialog.current?.showModal()}>
        <span className="kern-label">{label}</span>
      </button>
      <dialog className="kern-dialog" ref={dialog} aria-label={question}>
        <div className="kern-dialog__body kern-stack-sm">
          <p className="kern-body">{question}</p>
          {children}
        </div>
        <div className="kern-dialog__footer toolbar">
          <button
            type="button"
            className="kern-btn kern-btn--primary"
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            <span className="kern-label">{confirmLabel}</span>
          </button>
          <button type="button" className="kern-btn kern-btn--secondary" onClick={() => dialog.current?.close()}>
            <span className="kern-label">{t('common.cancel')}</span>
          </button>
        </div>
      </dialog>
    </>
  );
}
