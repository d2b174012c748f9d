import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Profile } from '../../../domain/profile.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import { ErrorSummary } from '../../components/form.tsx';
import { Markup } from '../../components/markup.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { ProfileForm } from './profile-form.tsx';


/** "80.674 (wegweiser-kommune.de, Stand 31.12.2019)" */
function withSource(value: string, source: string, date: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const details = [source, date ? t('profile.asOf', { date }) : ''].filter(Boolean).join(', ');
  return details ? `${value} (${details})` : value;
}

function ProfileView({ profile }: { profile: Profile }) {
  const { t } = useTranslation();
  // Label, value with source, and the fact's qualifying sentence (Einordnung), if any.
  const facts: [string, string, string][] = [];
  if (profile.population !== null) facts.push([t('profile.population'), withSource(formatNumber(profile.population), profile.populationSource, profile.populationDate, t), '']);
  if (profile.foreignShare !== null) facts.push([t('profile.foreignShare'), withSource(`${formatNumber(profile.foreignShare)} %`, profile.foreignShareSource, profile.foreignShareDate, t), '']);
  for (const fact of profile.facts) {
    facts.push([fact.label, withSource(fact.value === null ? '–' : `${formatNumber(fact.value)}${fact.unit ? ` ${fact.unit}` : ''}`, fact.source, fact.referenceDate, t), fact.note]);
  }
  const range = profile.districtRange;
  const head = [profile.administrationHead.title, profile.administrationHead.name].filter(Boolean).join(' ');
  return (
    <div className="kern-stack">
      {facts.length || range ? (
        <section aria-labelledby="facts" className="kern-stack-sm">
          <h2 id="facts" className="kern-heading kern-title">{t('profile.facts')}</h2>
          <dl className="kern-description-list">
            {facts.map(([label, value, note], index) => (
              <div className="kern-description-list-item" key={index}>
                <dt className="kern-description-list-item__key">{label}</dt>
                <dd className="kern-description-list-item__value">
                  {value}
                  {note ? <span className="fact-note">{note}</span> : null}
                </dd>
              </div>
            ))}
          </dl>
          {range ? (
            <p className="kern-body">
              {t('profile.rangeSentence', {
                areaKind: range.areaKind,
                lowest: formatNumber(range.lowestShare),
                lowestName: range.lowestName,
                highest: formatNumber(range.highestShare),
                highestName: range.highestName,
              })}
            </p>
          ) : null}
        </section>
      ) : null}
      {head || profile.projectLeads.length ? (
        <section aria-labelledby="people" className="kern-stack-sm">
          <h2 id="people" className="kern-heading kern-title">{t('profile.people')}</h2>
          <dl className="kern-description-list">
            {head ? (
              <div className="kern-description-list-item">
                <dt className="kern-description-list-item__key">{t('profile.administrationHead')}</dt>
                <dd className="kern-description-list-item__value">{head}</dd>
              </div>
            ) : null}
            {profile.projectLeads.length ? (
              <div className="kern-description-list-item">
                <dt className="kern-description-list-item__key">{t('profile.projectLeads')}</dt>
                <dd className="kern-description-list-item__value">
                  <ul className="kern-list">
                    {profile.projectLeads.map((lead, index) => (
                      <li key={index}>{[lead.unit, lead.name].filter(Boolean).join(' – ')}</li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
          </dl>
        </section>
      ) : null}
      {profile.challenges.length ? (
        <section aria-labelledby="challenges" className="kern-stack-sm">
          <h2 id="challenges" className="kern-heading kern-title">{t('profile.challenges')}</h2>
          <ul className="kern-list kern-list--bullet">
            {profile.challenges.map((challenge, index) => (
              <li key={index}>
                <Markup text={challenge} headingLevel={3} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {profile.furtherConditions.trim() ? (
        <section aria-labelledby="further" className="kern-stack-sm">
          <h2 id="further" className="kern-heading kern-title">{t('profile.furtherConditions')}</h2>
          <Markup text={profile.furtherConditions} headingLevel={3} />
        </section>
      ) : null}
    </div>
  );
}

/** Section 1 of the final report: the Ausgangslage of the Kommune. */
export default function ProfilePage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const [isEditing, setIsEditing] = useState(false);
  const { data, save } = useKommuneDocument<Profile>(slug, 'profile', () => setIsEditing(false));
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('profile.title')}><ErrorSummary error={data.error} /></Page>;
  const { kommune, content: profile, canEdit, updatedAt, updatedByName } = data.data;
  const isEmpty =
    profile.population === null &&
    profile.foreignShare === null &&
    profile.facts.length === 0 &&
    profile.districtRange === null &&
    !profile.administrationHead.title &&
    !profile.administrationHead.name &&
    profile.projectLeads.length === 0 &&
    profile.challenges.length === 0 &&
    !profile.furtherConditions.trim();
  return (
    <Page title={t('profile.titleOf', { name: kommune.name })} lead={t('profile.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('round.backToKommune', { name: kommune.name })}</Link>
      </nav>
      {save.isSuccess && !isEditing ? <Alert tone="success" title={t('profile.saved')} /> : null}
      {isEditing ? (
        <ProfileForm
          initial={profile}
          onSubmit={(next) => save.mutate(next)}
          onCancel={() => setIsEditing(false)}
          isBusy={save.isPending}
          error={save.error}
        />
      ) : (
        <>
          {isEmpty ? <p className="kern-body">{canEdit ? t('profile.emptyEditable') : t('profile.empty')}</p> : <ProfileView profile={profile} />}
          {updatedAt ? <p className="kern-body kern-body--small">{t('profile.updated', { date: formatDateTime(updatedAt), name: updatedByName ?? '–' })}</p> : null}
          {canEdit ? (
            <div>
              <button type="button" className="kern-btn kern-btn--primary" onClick={() => setIsEditing(true)}>
                <span className="kern-icon kern-icon--edit" aria-hidden="true" />
                <span className="kern-label">{t('profile.edit')}</span>
              </button>
            </div>
          ) : null}
        </>
      )}
    </Page>
  );
}
