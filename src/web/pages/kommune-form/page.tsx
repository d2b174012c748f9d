import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { bundeslaender, kommuneDesignations, kommuneKinds, type KommuneKind } from '../../../domain/kommune.ts';
import { api, ApiError } from '../../api/client.ts';
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

/** The Kommune that already has the Gemeindeschlüssel, from the server's 409, for a link to it. */
function existingKommuneOf(error: unknown): { slug: string; title: string } | null {
  if (!(error instanceof ApiError) || error.code !== 'gemeindeschluessel-taken') return null;
  const current = error.current as { slug?: unknown; title?: unknown } | undefined;
  return typeof current?.slug === 'string' && typeof current.title === 'string' ? { slug: current.slug, title: current.title } : null;
}

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
  const taken = existingKommuneOf(save.error);
  return (
    <Page title={title}>
      <div className="narrow kern-stack">
        {taken ? (
          <Alert tone="danger" title={t('errors.title')} focus>
            <p className="kern-body">{(save.error as ApiError).message}</p>
            <p className="kern-body">
              <Link className="kern-link" to={`/kommunen/${taken.slug}`}>{t('kommuneForm.toExisting', { title: taken.title })}</Link>
            </p>
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
              hint={t('kommuneForm.designationHint', { example: `${values.designation || values.kind} ${values.name.trim() || t('kommuneForm.nameExample')}` })}
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
