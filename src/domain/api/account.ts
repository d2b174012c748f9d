/** The request schemas of the account routes (src/server/routes/account): pure, so the web app can type its bodies with z.input. */
import { z } from 'zod';
import { emailSchema, passwordSchema, tokenSchema } from './common.ts';

export const resetRequestSchema = z.object({ email: emailSchema });
export const resetSchema = z.object({ token: tokenSchema.shape.token, password: passwordSchema });
export const passwordChangeSchema = z
  .object({
    // Any length: a wrong current password is simply wrong.
    currentPassword: z.string().min(1, 'bitte das bisherige Passwort angeben').max(1024),
    password: passwordSchema,
  })
  // A „change“ to the same password would end every session and leave a known password in place.
  .refine((input) => input.password !== input.currentPassword, {
    path: ['password'],
    message: 'Das neue Passwort muss sich vom bisherigen unterscheiden.',
  });

/** The bodies as the web app sends them. */
export type ResetRequestInput = z.input<typeof resetRequestSchema>;
export type ResetInput = z.input<typeof resetSchema>;
export type PasswordChangeInput = z.input<typeof passwordChangeSchema>;
