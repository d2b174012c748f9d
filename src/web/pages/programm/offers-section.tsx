import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useOffers, type Offer } from '../../api/offers.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { formatDate } from '../../format.ts';
import '../../i18n/later.ts';

const empty = { title: '', format: '', topics: '', date: '' };

/** Programmteam: the offers of Modul 3 (title, format, topics, date). */
export function OffersSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const offers = useOffers();
  const [editing, setEditing] = useState<{ id: string | null; values: typeof empty } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['offers'] });
  const save = useMutation({
    mutationFn: () => {
      const values = editing!.values;
      const body = { title: values.title, format: values.format, date: values.date || null, topics: values.topics.split(',').map((topic) => topic.trim()).filter(Boolean) };
      return editing!.id ? api('PUT', `/api/offers/${editing!.id}`, body) : api('POST', '/api/offers', body);
    },
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/offers/${id}`), onSuccess: refresh });
  const edit = (offer: Offer | null) =>
    setEditing({ id: offer?.id ?? null, values: offer ? { title: offer.title, format: offer.format, topics: offer.topics.join(', '), date: offer.date ?? '' } : empty });
  const errors = fieldErrorsOf(save.error);
  return (
    <section aria-labelledby="offers-heading" className="kern-stack">
      <h2 id="offers-heading" className="kern-heading kern-title">{t('offers.programmeTitle')}</h2>
      <p className="kern-body">{t('offers.programmeLead')}</p>
      <ErrorSummary error={remove.error} />
      {offers.data && offers.data.offers.length ? (
        <ul className="kern-list">
          {offers.data.offers.map((offer) => (
            <li key={offer.id} className="invitation-item">
              <strong>{offer.title}</strong>
              {[offer.format, offer.date ? formatDate(offer.date) : '', offer.topics.join(', ')].filter(Boolean).map((part) => ` · ${part}`)}{' '}
              <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" aria-label={`${t('offers.edit')}: ${offer.title}`} onClick={() => edit(offer)}>
                <span className="kern-label">{t('offers.edit')}</span>
              </button>
              <ConfirmButton label={`${t('offers.remove')}: ${offer.title}`} question={t('offers.removeQuestion', { title: offer.title })} confirmLabel={t('lists.removeConfirm')} onConfirm={() => remove.mutate(offer.id)} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{t('offers.none')}</p>
      )}
      {editing ? (
        <div className="narrow">
          <Form label={t('offers.formLabel')} onSubmit={() => save.mutate()}>
            <ErrorSummary error={save.error} />
            <TextField label={t('workshop.title')} name="offer-title" value={editing.values.title} onChange={(title) => setEditing({ ...editing, values: { ...editing.values, title } })} error={errors.title} />
            <TextField label={t('dialogue.format')} hint={t('offers.formatHint')} name="offer-format" isOptional value={editing.values.format} onChange={(format) => setEditing({ ...editing, values: { ...editing.values, format } })} error={errors.format} />
            <TextField label={t('offers.topics')} hint={t('offers.topicsHint')} name="offer-topics" isOptional value={editing.values.topics} onChange={(topics) => setEditing({ ...editing, values: { ...editing.values, topics } })} error={errors['topics.0']} />
            <div className="kern-form-input">
              <label className="kern-label" htmlFor="offer-date">{t('kickoff.date')} <span className="kern-label__optional">– {t('common.optional')}</span></label>
              <input className="kern-form-input__input" type="date" id="offer-date" value={editing.values.date} onChange={(event) => setEditing({ ...editing, values: { ...editing.values, date: event.target.value } })} />
            </div>
            <div className="toolbar">
              <Button type="submit" isBusy={save.isPending}>{t('common.save')}</Button>
              <Button variant="secondary" onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            </div>
          </Form>
        </div>
      ) : (
        <div>
          <Button variant="secondary" onClick={() => edit(null)}>{t('offers.add')}</Button>
        </div>
      )}
    </section>
  );
}
