import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { bundeslaender, kommuneDesignations, kommuneKinds, kommuneTitle, type KommuneKind } from '../../../domain/kommune.ts';
import { api, ApiError } from '../../api/client.ts';
import { ExistingKommuneLink, existingKommuneOf } from '../../components/existing-kommune.tsx';
import type { KommuneOverview } from '../../api/types.ts';
import { Button, ChoiceGroup, ErrorSummary, fieldErrorsOf, Form, SelectField, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import '../../i18n/later.ts';

interface Values {
  name: string;
  kind: string;
  /** The kind itself or one of its designations („Hansestadt“); the server stores the kind as none. */
  designation: string;
  gemeindeschluessel: string;
  bundesland: string;
  modules: string[];
}

const empty: Values = { name: '', kind: '', designation: '', gemeindeschluessel: '', bundesland: '', modules: ['1'] };

const isKind = (value: string): value is KommuneKind => (kommuneKinds as readonly string[]).includes(value);


/** Create a Kommune (/kommunen/neu) or edit one (/kommunen/:slug/bearbeiten); Programmteam only. */
export default function KommuneFormPage() {
  const { t } = useTranslation();
  const { slug } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const existing = useQuery({
    queryKey: ['kommune', slug],
    queryFn: () => api<KommuneOverview>('GET', `/api/kommunen/${slug}`),
    enabled: slug !== undefined,
  });
  const [values, setValues] = useState<Values>(empty);
  useEffect(() => {
    const kommune = existing.data?.kommune;
    if (kommune) {
      setValues({
        name: kommune.name,
        kind: kommune.kind,
        designation: kommune.designation ?? kommune.kind,
        gemeindeschluessel: kommune.gemeindeschluessel ?? '',
        bundesland: kommune.bundesland,
        modules: kommune.modules.map(String),
      });
    }
  }, [existing.data]);
  const save = useMutation({
    mutationFn: () =>
      api<{ kommune: { slug: string } }>(slug ? 'PUT' : 'POST', slug ? `/api/kommunen/${slug}` : '/api/kommunen', {
        ...values,
        designation: values.designation && values.designation !== values.kind ? values.designation : null,
        gemeindeschluessel: values.gemeindeschluessel || null,
        modules: values.modules.map(Number),
      }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['kommunen'] });
      await queryClient.invalidateQueries({ queryKey: ['kommune', result.kommune.slug] });
      await navigate(`/kommunen/${result.kommune.slug}`);
    },
  });
  if (slug && existing.isPending) return <Loading />;
  const fields = fieldErrorsOf(save.error);
  const set = <K extends keyof Values>(key: K) => (value: Values[K]) => setValues((current) => ({ ...current, [key]: value }));
  const title = slug ? t('kommuneForm.editTitle', { name: existing.data?.kommune.name ?? '' }) : t('kommuneForm.createTitle');
  return (
    <Page title={title}>
      <div className="narrow kern-stack">
        {existingKommuneOf(save.error) ? (
          <Alert tone="danger" title={t('errors.title')} focus>
            <p className="kern-body">{(save.error as ApiError).message}</p>
            <ExistingKommuneLink error={save.error} />
          </Alert>
        ) : (
          <ErrorSummary error={save.error ?? existing.error} />
        )}
        <Form label={title} onSubmit={() => save.mutate()}>
          <TextField label={t('fields.kommuneName')} hint={t('kommuneForm.nameHint')} name="name" value={values.name} onChange={set('name')} error={fields.name} />
          <SelectField
            label={t('fields.kind')}
            name="kind"
            value={values.kind}
            onChange={(kind) => setValues((current) => ({ ...current, kind, designation: kind }))}
            placeholder={t('common.choose')}
            options={kommuneKinds.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
            error={fields.kind}
          />
          {isKind(values.kind) ? (
            <SelectField
              label={t('fields.designation')}
              hint={t('kommuneForm.designationHint', { example: kommuneTitle({ kind: values.kind, designation: values.designation || null, name: values.name.trim() || t('kommuneForm.nameExample') }) })}
              name="designation"
              value={values.designation || values.kind}
              onChange={set('designation')}
              options={kommuneDesignations[values.kind].map((designation) => ({ value: designation, label: designation }))}
              error={fields.designation}
            />
          ) : null}
          <SelectField
            label={t('fields.bundesland')}
            name="bundesland"
            value={values.bundesland}
            onChange={set('bundesland')}
            placeholder={t('common.choose')}
            options={bundeslaender.map((land) => ({ value: land.name, label: land.name }))}
            error={fields.bundesland}
          />
          <TextField
            label={t('fields.gemeindeschluessel')}
            hint={t('kommuneForm.agsHint')}
            name="gemeindeschluessel"
            inputMode="numeric"
            maxLength={8}
            isOptional
            value={values.gemeindeschluessel}
            onChange={set('gemeindeschluessel')}
            error={fields.gemeindeschluessel}
          />
          <ChoiceGroup
            legend={t('fields.modules')}
            hint={t('kommuneForm.modulesHint')}
            name="modules"
            type="checkbox"
            selected={values.modules}
            onChange={(selected) => set('modules')([...new Set(['1', ...selected])].sort())}
            options={[1, 2, 3].map((number) => ({
              value: String(number),
              label: t(`modules.${number}`),
              isDisabled: number === 1,
            }))}
            error={fields.modules}
          />
          <div className="toolbar">
            <Button type="submit" isBusy={save.isPending}>
              {slug ? t('common.save') : t('kommuneForm.create')}
            </Button>
            <Button variant="secondary" onClick={() => void navigate(slug ? `/kommunen/${slug}` : '/kommunen')}>
              {t('common.cancel')}
            </Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}
