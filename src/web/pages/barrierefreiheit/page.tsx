import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { accessibilityReviewedOn } from '../../../domain/accessibility.ts';
import { germanDate } from '../../../domain/german.ts';
import { api } from '../../api/client.ts';
import { Paragraphs } from '../../components/paragraphs.tsx';
import { Page } from '../../components/page.tsx';
import '../../i18n/later.ts';

/** Erklärung zur Barrierefreiheit (BITV 2.0 § 7): status, known limits, feedback, enforcement. */
export default function AccessibilityPage() {
  const { t } = useTranslation();
  const contact = useQuery({
    queryKey: ['site-text', 'barrierefreiheit-kontakt'],
    queryFn: () => api<{ body: string | null }>('GET', '/api/site-texts/barrierefreiheit-kontakt'),
  });
  const sections = ['scope', 'status', 'limits', 'method'] as const;
  return (
    <Page title={t('accessibility.title')}>
      {sections.map((section) => (
        <section key={section} aria-labelledby={`a11y-${section}`} className="kern-stack-sm">
          <h2 id={`a11y-${section}`} className="kern-heading kern-title">{t(`accessibility.${section}Title`)}</h2>
          <Paragraphs text={t(`accessibility.${section}Text`)} />
        </section>
      ))}
      <section aria-labelledby="a11y-feedback" className="kern-stack-sm">
        <h2 id="a11y-feedback" className="kern-heading kern-title">{t('accessibility.feedbackTitle')}</h2>
        <p className="kern-body">{t('accessibility.feedbackText')}</p>
        {contact.data?.body ? <Paragraphs text={contact.data.body} /> : <p className="kern-body">{t('accessibility.noContact')}</p>}
      </section>
      <section aria-labelledby="a11y-enforcement" className="kern-stack-sm">
        <h2 id="a11y-enforcement" className="kern-heading kern-title">{t('accessibility.enforcementTitle')}</h2>
        <Paragraphs text={t('accessibility.enforcementText')} />
      </section>
      <p className="kern-body">{t('accessibility.reviewedOn', { date: germanDate(accessibilityReviewedOn) })}</p>
    </Page>
  );
}
