import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { kommuneRoles, type KommuneRole } from '../../../domain/access.ts';
import type { ArchiveInput, ChangeMemberInput, InviteMemberInput } from '../../../domain/api/kommunen.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import type { CreatedInvitation, KommuneMember, KommuneOverview, NextStepKey } from '../../api/types.ts';
import { BundleDownload, BundleUpload } from '../../components/bundle-transfer.tsx';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { SendResetLink } from '../../components/send-reset-link.tsx';
import { Button, ChoiceGroup, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { InvitationResult } from '../../components/invitation-result.tsx';
import { OpenInvitations } from '../../components/open-invitations.tsx';
import { deadlineText } from '../../components/deadline.ts';
import { Loading, Page } from '../../components/page.tsx';
import { RoleChoice } from '../../components/role-choice.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDate } from '../../format.ts';

function useFieldOptions() {
  const catalog = useCurrentCatalog();
  return (catalog.data?.catalog.fields ?? []).map((field) => ({
    value: field.key,
    label: `${field.key}. ${field.name}`,
  }));
}

function RoleFields({
  role,
  fieldKeys,
  onRole,
  onFields,
  errors,
}: {
  role: KommuneRole;
  fieldKeys: string[];
  onRole: (role: KommuneRole) => void;
  onFields: (keys: string[]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const fieldOptions = useFieldOptions();
  return (
    <>
      <RoleChoice roles={kommuneRoles} role={role} onRole={onRole} error={errors.role} />
      {role === 'mitwirkende' ? (
        <ChoiceGroup
          legend={t('fields.fieldKeys')}
          hint={t('invite.fieldsHint')}
          name="fieldKeys"
          type="checkbox"
          selected={fieldKeys}
          onChange={onFields}
          options={fieldOptions}
          error={errors.fieldKeys}
        />
      ) : null}
    </>
  );
}

/** The invite form's place on the page; the „Nächste Schritte“ link to it with the role to preselect. */
const inviteAnchor = 'einladen';

function InviteForm({ slug, openIds, hasKoordination }: { slug: string; openIds: ReadonlySet<string>; hasKoordination: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const [email, setEmail] = useState('');
  // A Kommune without a Koordination needs one first: the form offers that role until there is one.
  const [role, setRole] = useState<KommuneRole>(hasKoordination ? 'mitwirkende' : 'koordination');
  // A step link („?rolle=mitwirkende#einladen“) chooses the role and moves the focus to the form.
  useEffect(() => {
    if (location.hash !== `#${inviteAnchor}`) return;
    const wanted = searchParams.get('rolle');
    if (kommuneRoles.includes(wanted as KommuneRole)) setRole(wanted as KommuneRole);
    document.querySelector<HTMLInputElement>(`#${inviteAnchor} input[name="email"]`)?.focus();
  }, [location.key, location.hash, searchParams]);
  const [fieldKeys, setFieldKeys] = useState<string[]>([]);
  const invite = useMutation({
    mutationFn: () =>
      api<{ invitation: CreatedInvitation }>('POST', `/api/kommunen/${slug}/invitations`, {
        email,
        role,
        fieldKeys: role === 'mitwirkende' && fieldKeys.length ? fieldKeys : null,
      } satisfies InviteMemberInput),
    onSuccess: async () => {
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: ['kommune', slug] });
    },
  });
  return (
    <section id={inviteAnchor} aria-labelledby="invite-heading" className="kern-stack narrow">
      <h2 id="invite-heading" className="kern-heading kern-title">
        {t('invite.title')}
      </h2>
      {/* A renewed or withdrawn invitation's old link is no longer shown. */}
      {invite.data && openIds.has(invite.data.invitation.id) ? <InvitationResult invitation={invite.data.invitation} /> : null}
      <ErrorSummary error={invite.error} />
      <Form label={t('invite.title')} onSubmit={() => invite.mutate()}>
        <TextField label={t('fields.email')} name="email" type="email" autoComplete="off" value={email} onChange={setEmail} error={fieldErrorsOf(invite.error).email} />
        <RoleFields role={role} fieldKeys={fieldKeys} onRole={setRole} onFields={setFieldKeys} errors={fieldErrorsOf(invite.error)} />
        <div>
          <Button type="submit" isBusy={invite.isPending}>
            {t('invite.submit')}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** Where a next step is done; null when the person cannot do it there (the step is then plain text). */
function nextStepTarget(step: { key: NextStepKey; roundNumber?: number }, slug: string, permissions: KommuneOverview['permissions']): string | null {
  const round = `/kommunen/${slug}/selbstcheck/${step.roundNumber ?? ''}`;
  switch (step.key) {
    case 'invite-koordination':
      return permissions['members.invite'] ? `?rolle=koordination#${inviteAnchor}` : null;
    case 'invite-mitwirkende':
      return permissions['members.invite'] ? `?rolle=mitwirkende#${inviteAnchor}` : null;
    case 'await-selbstcheck':
      return `/kommunen/${slug}/selbstcheck`;
    case 'answer-selbstcheck':
      return round;
    case 'consolidate-selbstcheck':
      return `${round}/konsolidierung`;
    case 'see-results':
      return `${round}/ergebnisse`;
    case 'document-workshop':
      return `/kommunen/${slug}/workshops`;
    case 'plan-outlook':
      return `/kommunen/${slug}/ausblick`;
    case 'see-report':
      return `/kommunen/${slug}/bericht`;
  }
}

function MemberRow({ slug, member, canManage, isSelf }: { slug: string; member: KommuneMember; canManage: boolean; isSelf: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [isEditing, setIsEditing] = useState(false);
  const canSendResetLink = useSession().data?.permissions['programme.manage'] === true;
  const [role, setRole] = useState<KommuneRole>(member.role);
  const [fieldKeys, setFieldKeys] = useState<string[]>(member.fieldKeys ?? []);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['kommune', slug] });
  const change = useMutation({
    mutationFn: () =>
      api('PUT', `/api/kommunen/${slug}/members/${member.userId}`, {
        role,
        fieldKeys: role === 'mitwirkende' && fieldKeys.length ? fieldKeys : null,
      } satisfies ChangeMemberInput),
    onSuccess: async () => {
      setIsEditing(false);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/kommunen/${slug}/members/${member.userId}`),
    onSuccess: refresh,
  });
  return (
    <tr className="kern-table__row">
      <th scope="row" className="kern-table__cell">
        {member.name}
        <div className="kern-body kern-body--small">{member.email}</div>
        {member.hasAccess ? null : <span className="kern-badge kern-badge--small no-access">{t('members.noAccess')}</span>}
      </th>
      <td className="kern-table__cell">{t(`roles.${member.role}`)}</td>
      <td className="kern-table__cell">{member.fieldKeys ? member.fieldKeys.join(', ') : t('members.allFields')}</td>
      <td className="kern-table__cell">{formatDate(member.since)}</td>
      {canManage ? (
        <td className="kern-table__cell">
          {isSelf ? (
            <span className="kern-body kern-body--small">{t('members.self')}</span>
          ) : isEditing ? (
            <Form label={t('members.changeRoleOf', { name: member.name })} onSubmit={() => change.mutate()}>
              <ErrorSummary error={change.error} />
              <RoleFields role={role} fieldKeys={fieldKeys} onRole={setRole} onFields={setFieldKeys} errors={fieldErrorsOf(change.error)} />
              <div className="toolbar">
                <Button type="submit" isBusy={change.isPending}>{t('common.save')}</Button>
                <Button variant="secondary" onClick={() => setIsEditing(false)}>{t('common.cancel')}</Button>
              </div>
            </Form>
          ) : (
            <div className="toolbar">
              <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" aria-label={`${t('members.changeRole')}: ${member.name}`} onClick={() => setIsEditing(true)}>
                <span className="kern-label">{t('members.changeRole')}</span>
              </button>
              <ConfirmButton
                label={t('members.remove')}
                question={t('members.removeQuestion', { name: member.name })}
                confirmLabel={t('members.removeConfirm')}
                onConfirm={() => remove.mutate()}
              />
              {canSendResetLink ? <SendResetLink userId={member.userId} name={member.name} /> : null}
              <ErrorSummary error={remove.error} />
            </div>
          )}
        </td>
      ) : null}
    </tr>
  );
}

export default function KommunePage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const queryClient = useQueryClient();
  const overview = useQuery({
    queryKey: ['kommune', slug],
    queryFn: () => api<KommuneOverview>('GET', `/api/kommunen/${slug}`),
  });
  const session = useSession();
  const archive = useMutation({
    mutationFn: (isArchived: boolean) => api('PUT', `/api/kommunen/${slug}/archive`, { isArchived } satisfies ArchiveInput),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (overview.isPending) return <Loading />;
  if (overview.error) {
    return (
      <Page title={t('kommune.unavailable')}>
        <ErrorSummary error={overview.error} />
      </Page>
    );
  }
  const { kommune, permissions, contacts, members, invitations, nextSteps } = overview.data;
  return (
    <Page title={kommune.name} lead={`${kommune.designation ?? t(`kinds.${kommune.kind}`)} · ${kommune.bundesland}`}>
      {kommune.isArchived ? <p className="kern-badge kern-badge--warning">{t('kommune.isArchived')}</p> : null}
      {permissions['kommune.update'] || permissions['kommune.archive'] ? (
      <div className="toolbar">
        {permissions['kommune.update'] ? (
          <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/bearbeiten`}>
            <span className="kern-icon kern-icon--edit" aria-hidden="true" />
            <span className="kern-label">{t('kommune.edit')}</span>
          </Link>
        ) : null}
        {permissions['kommune.archive'] ? (
          kommune.isArchived ? (
            <Button variant="secondary" onClick={() => archive.mutate(false)} isBusy={archive.isPending}>
              {t('kommune.restore')}
            </Button>
          ) : (
            <ConfirmButton
              label={t('kommune.archive')}
              question={t('kommune.archiveQuestion', { name: kommune.name })}
              confirmLabel={t('kommune.archiveConfirm')}
              onConfirm={() => archive.mutate(true)}
            />
          )
        ) : null}
      </div>
      ) : null}
      <ErrorSummary error={archive.error} />
      <section aria-labelledby="facts-heading" className="kern-stack-sm">
        <h2 id="facts-heading" className="kern-heading kern-title">{t('kommune.facts')}</h2>
        <dl className="kern-description-list">
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('fields.modules')}</dt>
            <dd className="kern-description-list-item__value">
              <ul className="kern-list">
                {[1, 2, 3].map((number) => (
                  <li key={number}>
                    {t(`modules.${number}`)}: {kommune.modules.includes(number) ? t('kommune.moduleTaken') : t('kommune.moduleNotTaken')}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('fields.gemeindeschluessel')}</dt>
            <dd className="kern-description-list-item__value">{kommune.gemeindeschluessel ?? t('common.notGiven')}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('kommune.contacts')}</dt>
            <dd className="kern-description-list-item__value">
              {contacts.length ? contacts.map((contact) => `${contact.name} (${t(`roles.${contact.role}`)})`).join(', ') : t('common.notGiven')}
            </dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('kommune.myRole')}</dt>
            <dd className="kern-description-list-item__value">{kommune.myRole ? t(`roles.${kommune.myRole}`) : '–'}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="next-heading" className="kern-stack-sm">
        <h2 id="next-heading" className="kern-heading kern-title">{t('kommune.nextSteps')}</h2>
        {overview.data.latestRound?.deadline ? (
          <p className="kern-body">
            <strong>{t('kommune.roundDeadline', { number: overview.data.latestRound.number })}</strong> {deadlineText(overview.data.latestRound.deadline)}
          </p>
        ) : null}
        <ol className="kern-list kern-list--number">
          {nextSteps.map((step) => {
            const text = t(`nextSteps.${step.key}`, { number: 'roundNumber' in step ? step.roundNumber : undefined });
            const target = nextStepTarget(step, slug, permissions);
            return (
              <li key={step.key}>
                {target ? <Link className="kern-link" to={target}>{text}</Link> : text}
              </li>
            );
          })}
        </ol>
        <div>
          <div className="toolbar">
            <Link className="kern-btn kern-btn--primary" to={overview.data.latestRound ? `/kommunen/${slug}/selbstcheck/${overview.data.latestRound.number}` : `/kommunen/${slug}/selbstcheck`}>
              <span className="kern-label">{t('kommune.selbstcheck')}</span>
            </Link>
            <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/ausgangslage`}>
              <span className="kern-label">{t('kommune.profile')}</span>
            </Link>
            <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/umsetzung`}>
              <span className="kern-label">{t('kommune.implementation')}</span>
            </Link>
            <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/workshops`}>
              <span className="kern-label">{t('kommune.workshops')}</span>
            </Link>
            {kommune.modules.includes(2) ? (
              <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/dialogveranstaltungen`}>
                <span className="kern-label">{t('kommune.dialogues')}</span>
              </Link>
            ) : null}
            {kommune.modules.includes(3) ? (
              <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/angebote`}>
                <span className="kern-label">{t('kommune.offers')}</span>
              </Link>
            ) : null}
            <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/ausblick`}>
              <span className="kern-label">{t('kommune.outlook')}</span>
            </Link>
            {permissions['round.read'] ? (
              <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/vergleich`}>
                <span className="kern-label">{t('kommune.comparison')}</span>
              </Link>
            ) : null}
            {permissions['evidence.read'] ? (
              <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/belege`}>
                <span className="kern-label">{t('kommune.evidence')}</span>
              </Link>
            ) : null}
            {permissions['report.read'] ? (
              <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/bericht`}>
                <span className="kern-label">{t('kommune.report')}</span>
              </Link>
            ) : null}
            {permissions['email.log'] ? (
              <Link className="kern-btn kern-btn--secondary" to={`/kommunen/${slug}/e-mail-protokoll`}>
                <span className="kern-label">{t('emailLog.title')}</span>
              </Link>
            ) : null}
          </div>
        </div>
      </section>
      {members ? (
        <section aria-labelledby="members-heading" className="kern-stack-sm">
          <h2 id="members-heading" className="kern-heading kern-title">{t('members.title')}</h2>
          {members.length === 0 ? (
            <p className="kern-body">{t('members.none')}</p>
          ) : (
            <TableRegion labelledBy="members-caption">
              <table className="kern-table">
                <caption className="kern-sr-only" id="members-caption">{t('members.caption', { name: kommune.name })}</caption>
                <thead className="kern-table__head">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('fields.name')}</th>
                    <th scope="col" className="kern-table__header">{t('fields.role')}</th>
                    <th scope="col" className="kern-table__header">{t('fields.fieldKeys')}</th>
                    <th scope="col" className="kern-table__header">{t('members.since')}</th>
                    {permissions['members.manage'] ? <th scope="col" className="kern-table__header">{t('common.actions')}</th> : null}
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {members.map((member) => (
                    <MemberRow
                      key={member.userId}
                      slug={slug}
                      member={member}
                      canManage={permissions['members.manage']}
                      isSelf={member.userId === session.data?.user.id}
                    />
                  ))}
                </tbody>
              </table>
            </TableRegion>
          )}
        </section>
      ) : null}
      {invitations ? <OpenInvitations invitations={invitations} canManage={permissions['members.invite']} canRenew={overview.data.canRenewInvitations} refreshKey={['kommune', slug]} /> : null}
      {permissions['members.invite'] ? (
        <InviteForm
          slug={slug}
          openIds={new Set((invitations ?? []).map((invitation) => invitation.id))}
          hasKoordination={(members ?? []).some((member) => member.role === 'koordination')}
        />
      ) : null}
      {permissions['kommune.export'] ? (
        <section aria-labelledby="bundle-heading" className="kern-stack-sm narrow">
          <h2 id="bundle-heading" className="kern-heading kern-title">{t('bundle.title')}</h2>
          <p className="kern-body">{t('bundle.lead')}</p>
          <div>
            <BundleDownload slug={slug} />
          </div>
          {permissions['kommune.import'] && !overview.data.canImportBundle ? <p className="kern-body kern-body--small">{t('bundle.notEmpty')}</p> : null}
        </section>
      ) : null}
      {overview.data.canImportBundle ? <BundleUpload into={slug} /> : null}
    </Page>
  );
}
