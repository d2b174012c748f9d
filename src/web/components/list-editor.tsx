import { useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from './confirm-button.tsx';

/**
 * An editable list: add, remove (after asking), and move items up and down with buttons, so that
 * the order can be changed with the keyboard alone; focus follows the moved item.
 */
export function ListEditor<T>({
  legend,
  items,
  onChange,
  createItem,
  itemLabel,
  renderItem,
  addLabel,
  error,
}: {
  legend: string;
  items: T[];
  onChange: (items: T[]) => void;
  createItem: () => T;
  itemLabel: (item: T, index: number) => string;
  renderItem: (item: T, index: number, update: (item: T) => void) => ReactNode;
  addLabel: string;
  /** A message about the list as a whole (e.g. „bitte mindestens einen Partner nennen“), linked to the group. */
  error?: string;
}) {
  const { t } = useTranslation();
  const errorId = useId();
  const list = useRef<HTMLOListElement>(null);
  const focusButton = (index: number, name: 'hoch' | 'runter') => {
    requestAnimationFrame(() => {
      const item = list.current?.children[index];
      const button = item?.querySelector<HTMLButtonElement>(`button[data-move="${name}"]:not([disabled])`) ?? item?.querySelector<HTMLButtonElement>('button[data-move]');
      button?.focus();
    });
  };
  const move = (index: number, offset: -1 | 1) => {
    const target = index + offset;
    if (target < 0 || target >= items.length) return;
    const next = [...items];
    [next[index], next[target]] = [next[target]!, next[index]!];
    onChange(next);
    focusButton(target, offset === -1 ? 'hoch' : 'runter');
  };
  return (
    <fieldset className={`kern-fieldset list-editor${error ? ' kern-fieldset--error' : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend className="kern-label">{legend}</legend>
      {error ? (
        <p className="kern-error" id={errorId}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      ) : null}
      {items.length === 0 ? <p className="kern-body kern-body--small">{t('lists.empty')}</p> : null}
      <ol className="list-editor__items" ref={list}>
        {items.map((item, index) => (
          <li key={index} className="list-editor__item kern-stack-sm">
            {renderItem(item, index, (updated) => onChange(items.map((entry, position) => (position === index ? updated : entry))))}
            <div className="toolbar">
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                data-move="hoch"
                aria-label={`${t('lists.up')}: ${itemLabel(item, index)}`}
                disabled={index === 0}
                onClick={() => move(index, -1)}
              >
                <span className="kern-label">{t('lists.up')}</span>
              </button>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                data-move="runter"
                aria-label={`${t('lists.down')}: ${itemLabel(item, index)}`}
                disabled={index === items.length - 1}
                onClick={() => move(index, 1)}
              >
                <span className="kern-label">{t('lists.down')}</span>
              </button>
              <ConfirmButton
                label={`${t('lists.remove')}: ${itemLabel(item, index)}`}
                question={t('lists.removeQuestion', { item: itemLabel(item, index) })}
                confirmLabel={t('lists.removeConfirm')}
                onConfirm={() => onChange(items.filter((_, position) => position !== index))}
              />
            </div>
          </li>
        ))}
      </ol>
      <div>
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" onClick={() => onChange([...items, createItem()])}>
          <span className="kern-icon kern-icon--add" aria-hidden="true" />
          <span className="kern-label">{addLabel}</span>
        </button>
      </div>
    </fieldset>
  );
}
