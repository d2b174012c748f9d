import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client.ts';

/** The Kommune that already has a Gemeindeschlüssel, from the server's 409 (`gemeindeschluessel-taken`), or null. */
export function existingKommuneOf(error: unknown): { slug: string; title: string } | null {
  if (!(error instanceof ApiError) || error.code !== 'gemeindeschluessel-taken') return null;
  const current = error.current as { slug?: unknown; title?: unknown } | undefined;
  return typeof current?.slug === 'string' && typeof current.title === 'string' ? { slug: current.slug, title: current.title } : null;
}

/** A link to the Kommune that already has the Gemeindeschlüssel, when the error says so; else nothing. */
export function ExistingKommuneLink({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const existing = existingKommuneOf(error);
  if (!existing) return null;
  return (
    <p className="kern-body">
      <Link className="kern-link" to={`/kommunen/${existing.slug}`}>{t('kommuneForm.toExisting', { title: existing.title })}</Link>
    </p>
  );
}
