import { useTranslation } from 'react-i18next';
import type { Role } from '../../domain/access.ts';
import { ChoiceGroup } from './form.tsx';

/** The radio group for a role, each with its German name and what the role does. */
export function RoleChoice<R extends Role>({ roles, role, onRole, error }: { roles: readonly R[]; role: R; onRole: (role: R) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <ChoiceGroup
      legend={t('fields.role')}
      name="role"
      type="radio"
      selected={[role]}
      onChange={([value]) => onRole(value as R)}
      options={roles.map((value) => ({ value, label: `${t(`roles.${value}`)} – ${t(`roleHints.${value}`)}` }))}
      error={error}
    />
  );
}
