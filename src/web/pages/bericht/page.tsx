import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Report, ReportBlock } from '../../../domain/report.ts';
import { api } from '../../api/client.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import { FieldScoreBars } from '../../components/field-score-bars.tsx';
import { FileDownloads } from '../../components/file-download.tsx';
import { Button, CheckboxField, ErrorSummary, fieldErrorsOf, Form, SelectField, TextArea } from '../../components/form.tsx';
import { headingBelow, MarkupBlocks, Runs, type HeadingLevel } from '../../components/markup.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import '../../i18n/later.ts';

interface ReportResponse {
  report: Report;
  slug: string;
  roundNumber: number | null;
}

function ReportTable({ block }: { block: Extract<ReportBlock, { kind: 'table' }> }) {
  const captionId = useId();
  return (
    <TableRegion labelledBy={captionId}>
      <table className="kern-table report-table">
        <caption className="kern-body kern-body--small" id={captionId}>{block.caption}</caption>
        <thead className="kern-table__head">
          <tr className="kern-table__row">
            {block.columns.map((column) => <th scope="col" className="kern-table__header" key={column.label}>{column.label}</th>)}
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {block.rows.map((row, index) =>
            row.kind === 'group' ? (
              <tr className="kern-table__row report-group" key={index}>
                <th scope="colgroup" colSpan={block.columns.length} className="kern-table__cell">{row.text}</th>
              </tr>
            ) : (
              <tr className={`kern-table__row${row.isHighlighted ? ' report-highlight' : ''}`} key={index}>
                {row.cells.map((cell, cellIndex) =>
                  cellIndex === 0 ? <th scope="row" className="kern-table__cell report-cell" key={cellIndex}>{cell}</th> : <td className="kern-table__cell report-cell" key={cellIndex}>{cell}</td>,
                )}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** The HTML level of the last heading before block `index` of a section: the section's own h2, or a block heading (level 2 → h3, 3 → h4). */
function lastHeadingLevel(blocks: readonly ReportBlock[], index: number): number {
  for (let at = index - 1; at >= 0; at--) {
    const block = blocks[at]!;
    if (block.kind === 'heading') return block.level + 1;
  }
  return 2;
}

/**
 * One block of the report model as accessible HTML; section titles are h2, so block headings start at
 * h3. A user's sub-heading in a text gets `userHeading`: one level below the heading above it.
 */
function BlockView({ block, chartSrc, userHeading }: { block: ReportBlock; chartSrc: string | null; userHeading: HeadingLevel }) {
  const { t } = useTranslation();
  switch (block.kind) {
    case 'heading':
      return block.level === 2 ? <h3 className="kern-heading kern-title">{block.text}</h3> : <h4 className="kern-heading">{block.text}</h4>;
    case 'paragraph':
      return <p className="kern-body"><Runs runs={block.inlines} /></p>;
    case 'quote':
      return <p className="kern-body report-result"><Runs runs={block.inlines} /></p>;
    case 'text':
      // As the block headings here: h3 with the title style, deeper ones plain.
      return <MarkupBlocks blocks={block.blocks} headingLevel={userHeading} headingClassName={userHeading === 3 ? 'kern-heading kern-title' : 'kern-heading'} />;
    case 'list': {
      const items = block.items.map((item, index) => (
        <li key={index}>
          <Runs runs={item.inlines} />
          {item.children.length ? (
            <ul className="kern-list kern-list--bullet">
              {item.children.map((child, childIndex) => <li key={childIndex}><Runs runs={child} /></li>)}
            </ul>
          ) : null}
        </li>
      ));
      return block.style === 'numbers' ? <ol className="kern-list kern-list--number">{items}</ol> : <ul className="kern-list kern-list--bullet">{items}</ul>;
    }
    case 'table':
      return <ReportTable block={block} />;
    case 'chart':
      // On a phone the drawn chart's labels would be a few pixels high: the same values as bars in HTML instead.
      return chartSrc ? (
        <>
          <figure className="report-chart chart-wide">
            <img src={chartSrc} alt={block.alt} width={640} height={520} />
          </figure>
          <FieldScoreBars bars={block.bars} caption={t('report.barsCaption')} />
        </>
      ) : null;
    case 'legend':
      return (
        <div>
          <p className="kern-body kern-body--bold">{block.title}</p>
          <ul className="report-legend">
            {block.items.map((item) => <li key={item.label}><span className="report-symbol" aria-hidden="true">{item.symbol}</span> {item.label}</li>)}
          </ul>
        </div>
      );
  }
}

function PreambleEditor({ slug, onSaved }: { slug: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const { data, save } = useKommuneDocument<{ preamble: string; withEvidence: boolean }>(slug, 'report', onSaved);
  const [preamble, setPreamble] = useState('');
  const [withEvidence, setWithEvidence] = useState(true);
  useEffect(() => {
    setPreamble(data.data?.content.preamble ?? '');
    setWithEvidence(data.data?.content.withEvidence ?? true);
  }, [data.data]);
  if (!data.data?.canEdit) return null;
  return (
    <section aria-labelledby="preamble-heading" className="kern-stack-sm narrow">
      <h2 id="preamble-heading" className="kern-heading kern-title">{t('report.preambleTitle')}</h2>
      {save.isSuccess ? <Alert tone="success" title={t('report.preambleSaved')} /> : null}
      <ErrorSummary error={save.error} />
      <Form label={t('report.preambleTitle')} onSubmit={() => save.mutate({ preamble, withEvidence })}>
        <TextArea label={t('report.preamble')} hint={t('report.preambleHint')} name="preamble" value={preamble} onChange={setPreamble} error={fieldErrorsOf(save.error)['content.preamble']} isOptional />
        <CheckboxField label={t('report.withEvidence')} hint={t('report.withEvidenceHint')} name="withEvidence" checked={withEvidence} onChange={setWithEvidence} error={fieldErrorsOf(save.error)['content.withEvidence']} />
        <div>
          <Button type="submit" isBusy={save.isPending}>{t('common.save')}</Button>
        </div>
      </Form>
    </section>
  );
}

/** The Abschlussbericht: preview in the app, downloads as PDF and DOCX, the written passages editable. */
export default function ReportPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const [round, setRound] = useState<string>('');
  const rounds = useQuery({ queryKey: ['rounds', slug], queryFn: () => api<{ rounds: { number: number; status: string }[] }>('GET', `/api/kommunen/${slug}/rounds`) });
  const query = round ? `?round=${round}` : '';
  const report = useQuery({ queryKey: ['report', slug, round], queryFn: () => api<ReportResponse>('GET', `/api/kommunen/${slug}/report${query}`) });
  if (report.isPending) return <Loading />;
  if (report.error) {
    return (
      <Page title={t('report.title')}>
        <ErrorSummary error={report.error} />
      </Page>
    );
  }
  const { report: model, roundNumber } = report.data;
  const download = (format: string) => `/api/kommunen/${slug}/report?format=${format}${roundNumber ? `&round=${roundNumber}` : ''}`;
  const chartSrc = roundNumber ? `/api/kommunen/${slug}/rounds/${roundNumber}/results/radar.svg` : null;
  return (
    <Page title={t('report.titleOf', { name: model.titlePage.kommune })} lead={t('report.lead')}>
      <nav aria-label={t('report.editNav')} className="kern-body">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('report.back')}</Link>
        {' · '}
        {t('report.editTexts')}{' '}
        <Link className="kern-link" to={`/kommunen/${slug}/ausgangslage`}>{t('kommune.profile')}</Link>
        {', '}
        <Link className="kern-link" to={`/kommunen/${slug}/umsetzung`}>{t('kommune.implementation')}</Link>
        {', '}
        <Link className="kern-link" to={`/kommunen/${slug}/workshops`}>{t('kommune.workshops')}</Link>
        {', '}
        <Link className="kern-link" to={`/kommunen/${slug}/ausblick`}>{t('kommune.outlook')}</Link>
      </nav>
      <FileDownloads
        choices={[
          { href: download('pdf'), label: t('report.downloadPdf'), fallbackName: 'abschlussbericht.pdf' },
          { href: download('docx'), label: t('report.downloadDocx'), fallbackName: 'abschlussbericht.docx' },
        ]}
      />
      {rounds.data && rounds.data.rounds.length > 1 ? (
        <div className="narrow">
          <SelectField
            label={t('report.round')}
            name="round"
            value={String(roundNumber ?? '')}
            onChange={setRound}
            options={rounds.data.rounds.map((entry) => ({ value: String(entry.number), label: t('report.roundOption', { number: entry.number }) }))}
          />
        </div>
      ) : null}
      <PreambleEditor slug={slug} onSaved={() => void report.refetch()} />
      <article className="report-preview kern-stack" aria-labelledby="report-preview-heading">
        <h2 id="report-preview-heading" className="kern-sr-only">{t('report.preview')}</h2>
        <header className="report-title-page">
          <p className="kern-body kern-body--small">{model.titlePage.programme}</p>
          <p className="report-title">{model.titlePage.title}</p>
          <p className="report-kommune">{model.titlePage.kommune}</p>
          <p className="kern-body kern-body--small">{model.titlePage.subtitle} · {t('report.asOf', { date: model.titlePage.date })}</p>
        </header>
        {model.sections.map((section) => (
          <section key={section.id} aria-labelledby={`report-${section.id}`} className="kern-stack-sm">
            <h2 id={`report-${section.id}`} className="kern-heading kern-title report-section-title">
              {section.number === null ? section.title : `${section.number}. ${section.title}`}
            </h2>
            {section.blocks.map((block, index) => <BlockView key={index} block={block} chartSrc={chartSrc} userHeading={headingBelow(lastHeadingLevel(section.blocks, index))} />)}
          </section>
        ))}
      </article>
    </Page>
  );
}
