/** The request schemas of the Kommune routes (src/server/routes/kommunen): pure, so the web app can type its bodies with z.input. */
import { z } from 'zod';
import { bundeslandNames, kommuneKinds } from '../kommune.ts';
import { kommuneName } from '../text-fields.ts';
import { fieldKeysSchema, kommuneRoleSchema, emailSchema } from './common.ts';

export const kommuneSchema = z.object({
  name: kommuneName(),
  kind: z.enum(kommuneKinds, 'bitte eine Art wählen'),
  // Checked against the kind by the service (one of the kind's designations); empty: the kind itself.
  designation: z
    .string('bitte eine Bezeichnung wählen')
    .trim()
    .max(40, 'höchstens 40 Zeichen')
    .nullable()
    .default(null)
    .transform((value) => (value ? value : null)),
  gemeindeschluessel: z
    .string()
    .trim()
    .regex(/^(\d{8})?$/, 'genau 8 Ziffern oder leer')
    .nullable()
    .default(null)
    .transform((value) => (value ? value : null)),
  bundesland: z.enum(bundeslandNames, 'bitte ein Bundesland wählen'),
  modules: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)], 'Module 1, 2 oder 3')).max(3).default([1]),
});

export const archiveSchema = z.object({ isArchived: z.boolean('ja oder nein') });

export const listQuerySchema = z.object({ archiviert: z.enum(['0', '1']).default('0') });

export const inviteMemberSchema = z.object({
  email: emailSchema,
  role: kommuneRoleSchema,
  fieldKeys: fieldKeysSchema,
});

export const changeMemberSchema = z.object({ role: kommuneRoleSchema, fieldKeys: fieldKeysSchema });

/** Where an imported Kommune goes: an optional slug of its own. */
export const bundleQuerySchema = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/, 'Kleinbuchstaben, Ziffern und Bindestriche').optional() });

/** A bundle is any JSON object here; transfer-kommune checks it field by field and names the first problem. */
export const rawBundleSchema = z.record(z.string(), z.unknown(), 'Das Paket muss ein JSON-Objekt sein.');

/** Two rounds to compare: the earlier (from) and the later (to). */
const roundNumber = z.coerce.number('eine Rundennummer').int('eine Rundennummer').min(1, 'eine Rundennummer ab 1').max(10_000);
export const comparisonQuery = z.object({ from: roundNumber, to: roundNumber });

/** The bodies as the web app sends them (z.input: before defaults and transforms). */
export type KommuneInput = z.input<typeof kommuneSchema>;
export type ArchiveInput = z.input<typeof archiveSchema>;
export type InviteMemberInput = z.input<typeof inviteMemberSchema>;
export type ChangeMemberInput = z.input<typeof changeMemberSchema>;
