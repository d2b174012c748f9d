// The shared request schemas live in src/domain/api/common.ts (pure, the web app types its bodies
// with them); the routes keep importing them from here.
export {
  emailSchema,
  fieldKeysSchema,
  kommuneRoleSchema,
  passwordSchema,
  personNameSchema,
  programmeRoleSchema,
  slugSchema,
  tokenSchema,
  uuidSchema,
} from '../../domain/api/common.ts';

/** Errors of every route inside one Kommune (services/require-kommune.ts). */
export const kommuneErrors = ['forbidden', 'kommune-not-found', 'kommune-importing'] as const;
/** … and inside one of its rounds. */
export const roundErrors = [...kommuneErrors, 'round-not-found'] as const;
