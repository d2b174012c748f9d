import { Hono } from 'hono';
import { z } from 'zod';
import { requireGlobal } from '../../../services/require-kommune.ts';
import { countCatalog } from '../../../domain/catalog.ts';
import { DomainError } from '../../../domain/errors.ts';
import { getCatalog, listCatalogs } from '../../../services/manage-catalogs.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';

const idSchema = z.object({ id: z.string().regex(/^[a-z0-9-]+@\d+\.\d+$/, 'ungültige Katalogversion') });
const tag = 'Kataloge';

export const catalogRoutes = new Hono<AppEnv>()
  .get(
    '/',
    endpoint(
      { tag, summary: 'Listet die geladenen Katalogversionen', access: 'signed-in', errors: ['forbidden'], response: { description: '`{ catalogs }`' } },
      async (context, { actor }) => {
        requireGlobal(actor, 'catalog.read');
        const versions = await listCatalogs(context.var.deps.services.db);
        return context.json({ catalogs: versions.map(({ contentHash: _hash, ...rest }) => rest) });
      },
    ),
  )
  .get(
    '/:id',
    endpoint(
      {
        tag,
        summary: 'Liefert eine Katalogversion mit Handlungsfeldern, Kriterien und Leitfragen',
        access: 'signed-in',
        // Hono has decoded the parameter already; decoding again would throw on a literal "%".
        params: idSchema,
        errors: ['forbidden', 'not-found'],
        response: { description: '`{ id, catalog, counts }`' },
      },
      async (context, { actor, params }) => {
        requireGlobal(actor, 'catalog.read');
        const catalog = await getCatalog(context.var.deps.services.db, params.id);
        if (!catalog) throw new DomainError('not-found');
        return context.json({ id: params.id, catalog, counts: countCatalog(catalog) });
      },
    ),
  );
