import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import type { KommuneSummary } from '../../api/types.ts';
import { deadlineText } from '../../components/deadline.ts';
import { BundleUpload } from '../../components/bundle-transfer.tsx';
import { ErrorSummary } from '../../components/form.tsx';
import { Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';

export default function KommunenPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [showArchived, setShowArchived] = useState(false);
  const list = useQuery({
    queryKey: ['kommunen', showArchived],
    queryFn: () => api<{ kommunen: (KommuneSummary & { openRoundDeadline: { number: number; deadline: string } | null })[] }>('GET', `/api/kommunen?archiviert=${showArchived ? 1 : 0}`),
  });
  const canCreate = session.data?.permissions['kommune.create'] ?? false;
  return (
    <Page title={t('kommunen.title')} lead={canCreate ? t('kommunen.leadProgramme') : t('kommunen.lead')}>
      <div className="toolbar">
        {canCreate ? (
          <Link className="kern-btn kern-btn--primary" to="/kommunen/neu">
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            <span className="kern-label">{t('kommunen.create')}</span>
          </Link>
        ) : null}
        {canCreate ? (
          <div className="kern-form-check">
            <input
              className="kern-form-check__checkbox"
              type="checkbox"
              id="show-archived"
              checked={showArchived}
              onChange={(event) => setShowArchived(event.target.checked)}
            />
            <label className="kern-label" htmlFor="show-archived">
              {t('kommunen.showArchived')}
            </label>
          </div>
        ) : null}
      </div>
      <ErrorSummary error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : list.data && list.data.kommunen.length === 0 ? (
        <p className="kern-body">{canCreate ? t('kommunen.emptyProgramme') : t('kommunen.empty')}</p>
      ) : list.data ? (
        <TableRegion labelledBy="kommunen-caption">
          <table className="kern-table">
            <caption className="kern-title" id="kommunen-caption">
              {t('kommunen.caption', { count: list.data.kommunen.length })}
            </caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('fields.name')}</th>
                <th scope="col" className="kern-table__header">{t('fields.kind')}</th>
                <th scope="col" className="kern-table__header">{t('fields.bundesland')}</th>
                <th scope="col" className="kern-table__header">{t('fields.modules')}</th>
                <th scope="col" className="kern-table__header">{t('kommunen.myRole')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {list.data.kommunen.map((kommune) => (
                <tr className="kern-table__row" key={kommune.id}>
                  <th scope="row" className="kern-table__cell">
                    <Link className="kern-link" to={`/kommunen/${kommune.slug}`}>
                      {kommune.name}
                    </Link>
                    {kommune.isArchived ? <span className="kern-badge kern-badge--small archived">{t('kommunen.archived')}</span> : null}
                    {kommune.openRoundDeadline ? (
                      <div className="kern-body kern-body--small">
                        {t('kommune.roundDeadline', { number: kommune.openRoundDeadline.number })} {deadlineText(kommune.openRoundDeadline.deadline)}
                      </div>
                    ) : null}
                  </th>
                  <td className="kern-table__cell">{t(`kinds.${kommune.kind}`)}</td>
                  <td className="kern-table__cell">{kommune.bundesland}</td>
                  <td className="kern-table__cell">{kommune.modules.join(', ')}</td>
                  <td className="kern-table__cell">{kommune.myRole ? t(`roles.${kommune.myRole}`) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {canCreate ? <BundleUpload /> : null}
    </Page>
  );
}
