// Writes docs/kommune-bundle.schema.json from the zod schema of src/domain/bundle.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleJsonSchema } from '../src/domain/bundle-json-schema.ts';

const target = path.resolve(import.meta.dirname, '../docs/kommune-bundle.schema.json');
writeFileSync(target, `${JSON.stringify(bundleJsonSchema(), null, 2)}\n`);
console.log(`${path.relative(process.cwd(), target)} geschrieben.`);
