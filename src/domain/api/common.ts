/**
 * The request schemas several routes share (src/server/routes/common-schemas.ts passes them on): pure
 * zod, so the web app can type its bodies with z.input of the schema the server validates with.
 */
import { z } from 'zod';
import { kommuneRoles, programmeRoles } from '../access.ts';
import { personName } from '../text-fields.ts';

/** Password lengths: the server's sign-in (src/server/wiring/auth.ts) and every form that sets one. */
export const minPasswordLength = 12;
export const maxPasswordLength = 256;

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'höchstens 254 Zeichen')
  .pipe(z.email('bitte eine gültige E-Mail-Adresse angeben'));

export const passwordSchema = z
  .string()
  .min(minPasswordLength, `mindestens ${minPasswordLength} Zeichen`)
  .max(maxPasswordLength, `höchstens ${maxPasswordLength} Zeichen`);

/** Names of people: the one rule of src/domain/text-fields.ts, also applied to the Kommune bundle. */
export const personNameSchema = personName();

export const slugSchema = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/, 'ungültige Kennung') });
export const uuidSchema = z.uuid('ungültige Kennung');
export const tokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'ungültiger Link') });

export const fieldKeysSchema = z
  .array(z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld'))
  .max(20)
  .nullable()
  .default(null);

export const kommuneRoleSchema = z.enum(kommuneRoles, 'bitte eine Rolle wählen');
export const programmeRoleSchema = z.enum(programmeRoles, 'bitte eine Rolle wählen');
