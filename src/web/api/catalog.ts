import { useQuery } from '@tanstack/react-query';
import type { Catalog } from '../../domain/catalog.ts';
import { api } from './client.ts';
import type { CatalogSummary } from './types.ts';

export function useCatalogVersions() {
  return useQuery({
    queryKey: ['catalogs'],
    queryFn: () => api<{ catalogs: CatalogSummary[] }>('GET', '/api/catalogs'),
    staleTime: Infinity,
  });
}

/** A stored catalog version; versions never change, so it is cached for the whole visit. */
export function useCatalog(id: string | undefined) {
  return useQuery({
    queryKey: ['catalog', id],
    queryFn: () =>
      api<{ id: string; catalog: Catalog; counts: { fields: number; criteria: number; questions: number } }>(
        'GET',
        `/api/catalogs/${encodeURIComponent(id!)}`,
      ),
    enabled: id !== undefined,
    staleTime: Infinity,
  });
}

/** The newest catalog version. */
export function useCurrentCatalog() {
  const versions = useCatalogVersions();
  return useCatalog(versions.data?.catalogs[0]?.id);
}
