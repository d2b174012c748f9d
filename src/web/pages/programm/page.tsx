import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { programmeRoles, type ProgrammeRole } from '../../../domain/access.ts';
import type { ProgrammeChangeInput, ProgrammeInviteInput } from '../../../domain/api/programme.ts';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import type { CreatedInvitation, KommuneSummary, ProgrammeTeam } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { SendResetLink } from '../../components/send-reset-link.tsx';
import { Button, ChoiceGroup, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { InvitationResult } from '../../components/invitation-result.tsx';
import { OpenInvitations } from '../../components/open-invitations.tsx';
import { Loading, Page } from '../../components/page.tsx';
import { RoleChoice } from '../../components/role-choice.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { OffersSection } from './offers-section.tsx';
import '../../i18n/later.ts';

function useKommuneOptions() {
  const list = useQuery({
    queryKey: ['kommunen', false],
    queryFn: () => api<{ kommunen: KommuneSummary[] }>('GET', '/api/kommunen?archiviert=0'),
  });
  return (list.data?.kommunen ?? []).map((kommune) => ({ value: kommune.id, label: kommune.name }));
}

function ProgrammeRoleFields({
  role,
  assigned,
  onRole,
  onAssigned,
  errors,
}: {
  role: ProgrammeRole;
  assigned: string[];
  onRole: (role: ProgrammeRole) => void;
  onAssigned: (ids: string[]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const kommuneOptions = useKommuneOptions();
  return (
    <>
      <RoleChoice roles={programmeRoles} role={role} onRole={onRole} error={errors.role} />
      {role === 'prozessbegleitung' ? (
        kommuneOptions.length ? (
          <ChoiceGroup
            legend={t('fields.assignedKommuneIds')}
            name="assignedKommuneIds"
            type="checkbox"
            selected={assigned}
            onChange={onAssigned}
            options={kommuneOptions}
            error={errors.assignedKommuneIds}
          />
        ) : (
          <p className="kern-body">{t('programme.noKommunen')}</p>
        )
      ) : null}
    </>
  );
}

function MemberEditor({ member, onDone }: { member: ProgrammeTeam['members'][number]; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<ProgrammeRole>(member.role);
  const [assigned, setAssigned] = useState<string[]>(member.assignedKommuneIds);
  const save = useMutation({
    mutationFn: () => api('PUT', `/api/programme/members/${member.userId}`, { role, assignedKommuneIds: assigned } satisfies ProgrammeChangeInput),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['programme'] });
      onDone();
    },
  });
  return (
    <Form label={t('programme.changeOf', { name: member.name })} onSubmit={() => save.mutate()}>
      <ErrorSummary error={save.error} />
      <ProgrammeRoleFields role={role} assigned={assigned} onRole={setRole} onAssigned={setAssigned} errors={fieldErrorsOf(save.error)} />
      <div className="toolbar">
        <Button type="submit" isBusy={save.isPending}>{t('common.save')}</Button>
        <Button variant="secondary" onClick={onDone}>{t('common.cancel')}</Button>
      </div>
    </Form>
  );
}

export default function ProgrammePage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const session = useSession();
  const team = useQuery({ queryKey: ['programme'], queryFn: () => api<ProgrammeTeam>('GET', '/api/programme') });
  const kommuneNames = new Map(useKommuneOptions().map((option) => [option.value, option.label]));
  const [editing, setEditing] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProgrammeRole>('prozessbegleitung');
  const [assigned, setAssigned] = useState<string[]>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['programme'] });
  const invite = useMutation({
    mutationFn: () =>
      api<{ invitation: CreatedInvitation }>('POST', '/api/programme/invitations', { email, role, assignedKommuneIds: assigned } satisfies ProgrammeInviteInput),
    onSuccess: async () => {
      setEmail('');
      setAssigned([]);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (userId: string) => api('DELETE', `/api/programme/members/${userId}`), onSuccess: refresh });
  if (team.isPending) return <Loading />;
  return (
    <Page title={t('programme.title')} lead={t('programme.lead')}>
      <ErrorSummary error={team.error ?? remove.error} />
      {team.data ? (
        <section aria-labelledby="team-heading" className="kern-stack-sm">
          <h2 id="team-heading" className="kern-heading kern-title">{t('programme.people')}</h2>
          <TableRegion labelledBy="team-caption">
            <table className="kern-table">
              <caption className="kern-sr-only" id="team-caption">{t('programme.people')}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  <th scope="col" className="kern-table__header">{t('fields.name')}</th>
                  <th scope="col" className="kern-table__header">{t('fields.role')}</th>
                  <th scope="col" className="kern-table__header">{t('fields.assignedKommuneIds')}</th>
                  <th scope="col" className="kern-table__header">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {team.data.members.map((member) => (
                  <tr className="kern-table__row" key={member.userId}>
                    <th scope="row" className="kern-table__cell">
                      {member.name}
                      <div className="kern-body kern-body--small">{member.email}</div>
                    </th>
                    <td className="kern-table__cell">{t(`roles.${member.role}`)}</td>
                    <td className="kern-table__cell">
                      {member.role === 'programmteam'
                        ? t('programme.allKommunen')
                        : member.assignedKommuneIds.map((id) => kommuneNames.get(id) ?? '…').join(', ') || t('programme.noneAssigned')}
                    </td>
                    <td className="kern-table__cell">
                      {member.userId === session.data?.user.id ? (
                        <span className="kern-body kern-body--small">{t('members.self')}</span>
                      ) : editing === member.userId ? (
                        <MemberEditor member={member} onDone={() => setEditing(null)} />
                      ) : (
                        <div className="toolbar">
                          <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" aria-label={`${t('members.changeRole')}: ${member.name}`} onClick={() => setEditing(member.userId)}>
                            <span className="kern-label">{t('members.changeRole')}</span>
                          </button>
                          <ConfirmButton
                            label={t('members.remove')}
                            question={t('programme.removeQuestion', { name: member.name })}
                            confirmLabel={t('members.removeConfirm')}
                            onConfirm={() => remove.mutate(member.userId)}
                          />
                          <SendResetLink userId={member.userId} name={member.name} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </section>
      ) : null}
      {team.data ? <OpenInvitations invitations={team.data.invitations} canManage canRenew refreshKey={['programme']} /> : null}
      <OffersSection />
      <section aria-labelledby="programme-invite-heading" className="kern-stack narrow">
        <h2 id="programme-invite-heading" className="kern-heading kern-title">{t('programme.invite')}</h2>
        {invite.data && team.data?.invitations.some((invitation) => invitation.id === invite.data.invitation.id) ? <InvitationResult invitation={invite.data.invitation} /> : null}
        <ErrorSummary error={invite.error} />
        <Form label={t('programme.invite')} onSubmit={() => invite.mutate()}>
          <TextField label={t('fields.email')} name="email" type="email" autoComplete="off" value={email} onChange={setEmail} error={fieldErrorsOf(invite.error).email} />
          <ProgrammeRoleFields role={role} assigned={assigned} onRole={setRole} onAssigned={setAssigned} errors={fieldErrorsOf(invite.error)} />
          <div>
            <Button type="submit" isBusy={invite.isPending}>{t('invite.submit')}</Button>
          </div>
        </Form>
      </section>
    </Page>
  );
}
