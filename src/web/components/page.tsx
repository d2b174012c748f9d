import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GenderBreaks } from './gender-breaks.tsx';

/**
 * One screen: sets the document title and moves focus to the heading, so that screen reader users
 * hear where a navigation led them (WCAG 2.4.2, 2.4.3).
 */
export function Page({ title, lead, children }: { title: string; lead?: ReactNode; children?: ReactNode }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
    heading.current?.focus();
  }, [title, t]);
  return (
    <div className="page kern-stack-lg">
      <div className="kern-stack-sm">
        <h1 className="kern-heading kern-title kern-title--large" tabIndex={-1} ref={heading}>
          <GenderBreaks text={title} />
        </h1>
        {lead ? <p className="kern-body kern-body--large">{lead}</p> : null}
      </div>
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="kern-body" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A message box; `tone` sets colour and icon, the text always says what happened. */
export function Alert({
  tone,
  title,
  children,
  focus = false,
}: {
  tone: 'info' | 'success' | 'warning' | 'danger';
  title: string;
  children?: ReactNode;
  focus?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) box.current?.focus();
  }, [focus]);
  return (
    <div
      className={`kern-alert kern-alert--${tone}`}
      role={tone === 'danger' || tone === 'warning' ? 'alert' : 'status'}
      tabIndex={focus ? -1 : undefined}
      ref={box}
    >
      <div className="kern-alert__header">
        <span className={`kern-icon kern-icon--${tone === 'danger' ? 'danger' : tone}`} aria-hidden="true" />
        <span className="kern-title">{title}</span>
      </div>
      {children ? <div className="kern-alert__body">{children}</div> : null}
    </div>
  );
}
