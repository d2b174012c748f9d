import { Hono } from 'hono';
import { z } from 'zod';
import { requireGlobal } from '../../../services/require-kommune.ts';
import { countCatalog } from '../../../domain/catalog.ts';
import { DomainError } from '../../../domain/errors.ts';
import { getCatalog, listCatalogs } from '../../../services/manage-catalogs.ts';
import type { AppEnv } from '../../app-env.ts';
import { readParams, requireActor } from '../../http.ts';

const idSchema = z.object({ id: z.string().regex(/^[a-z0-9-]+@\d+\.\d+$/, 'ungültige Katalogversion') });

export const catalogRoutes = new Hono<AppEnv>()
  .get('/', async (context) => {
    requireGlobal(await requireActor(context), 'catalog.read');
    const versions = await listCatalogs(context.var.deps.services.db);
    return context.json({ catalogs: versions.map(({ contentHash: _hash, ...rest }) => rest) });
  })
  .get('/:id', async (context) => {
    requireGlobal(await requireActor(context), 'catalog.read');
    // Hono has decoded the parameter already; decoding again would throw on a literal "%".
    const { id } = readParams(context.req.param(), idSchema);
    const catalog = await getCatalog(context.var.deps.services.db, id);
    if (!catalog) throw new DomainError('not-found');
    return context.json({ id, catalog, counts: countCatalog(catalog) });
  });
