import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { offerStatuses, type OfferStatus, type OfferStatuses } from '../../../domain/offer.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import { useOffers } from '../../api/offers.ts';
import { Button, ErrorSummary, Form } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDate } from '../../format.ts';
import '../../components/stacked-table.css';

/** Modul 3: which offers for decision makers the Kommune has signed up for or attended. Status only. */
export default function OffersPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const offers = useOffers();
  const { data, save } = useKommuneDocument<OfferStatuses>(slug, 'offers', () => {});
  const [statuses, setStatuses] = useState<Record<string, OfferStatus>>({});
  useEffect(() => {
    if (data.data) setStatuses(Object.fromEntries(data.data.content.statuses.map((entry) => [entry.offerId, entry.status])));
  }, [data.data]);
  if (data.isPending || offers.isPending) return <Loading />;
  if (!data.data) return <Page title={t('offers.title')}><ErrorSummary error={data.error ?? offers.error} /></Page>;
  const { kommune, canEdit } = data.data;
  const list = offers.data?.offers ?? [];
  return (
    <Page title={t('offers.titleOf', { name: kommune.name })} lead={t('offers.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('round.backToKommune', { name: kommune.name })}</Link>
      </nav>
      {save.isSuccess ? <Alert tone="success" title={t('offers.saved')} /> : null}
      {list.length === 0 ? (
        <p className="kern-body">{t('offers.none')}</p>
      ) : (
        <Form label={t('offers.title')} onSubmit={() => save.mutate({ statuses: list.map((offer) => ({ offerId: offer.id, status: statuses[offer.id] ?? 'offen' })) })}>
          <ErrorSummary error={save.error} />
          <TableRegion labelledBy="offers-caption">
            {/* Below 40rem each offer is a card, its status select under the offer (no sideways scrolling). */}
            <table className="kern-table stacked-table" role="table">
              <caption id="offers-caption" className="kern-sr-only">{t('offers.title')}</caption>
              <thead className="kern-table__head" role="rowgroup">
                <tr className="kern-table__row" role="row">
                  <th scope="col" className="kern-table__header" role="columnheader">{t('offers.offer')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('kickoff.date')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('offers.status')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body" role="rowgroup">
                {list.map((offer) => (
                  <tr className="kern-table__row" key={offer.id} role="row">
                    <th scope="row" className="kern-table__cell" role="rowheader">
                      {offer.title}
                      {offer.topics.length ? <div className="kern-body kern-body--small">{offer.topics.join(', ')}</div> : null}
                    </th>
                    <td className="kern-table__cell" role="cell" data-label={t('kickoff.date')}>{offer.date ? formatDate(offer.date) : '–'}</td>
                    <td className="kern-table__cell" role="cell" data-label={t('offers.status')}>
                      {canEdit ? (
                        <div className="kern-form-input__select-wrapper">
                          <select
                            className="kern-form-input__select"
                            aria-label={`${t('offers.status')}: ${offer.title}`}
                            value={statuses[offer.id] ?? 'offen'}
                            onChange={(event) => setStatuses({ ...statuses, [offer.id]: event.target.value as OfferStatus })}
                          >
                            {offerStatuses.map((status) => <option key={status} value={status}>{t(`offers.statuses.${status}`)}</option>)}
                          </select>
                        </div>
                      ) : (
                        t(`offers.statuses.${statuses[offer.id] ?? 'offen'}`)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
          {canEdit ? (
            <div>
              <Button type="submit" isBusy={save.isPending}>{t('common.save')}</Button>
            </div>
          ) : null}
        </Form>
      )}
      <p className="kern-body kern-body--small">{t('offers.confidential')}</p>
    </Page>
  );
}
