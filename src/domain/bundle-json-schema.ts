import { z } from 'zod';
import { bundleFormatVersion, bundleSchema } from './bundle.ts';

/**
 * The bundle format as JSON Schema (draft 2020-12), generated from the same zod schema the importer
 * validates with; docs/kommune-bundle.schema.json is this, written by `npm run docs:schema`.
 */
export function bundleJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(bundleSchema, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `https://weltoffen.example/schemas/kommune-bundle-${bundleFormatVersion}.schema.json`,
    title: `Weltoffen – Paket einer Kommune (Formatversion ${bundleFormatVersion})`,
    ...rest,
  };
}
