import { DomainError } from '../domain/errors.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { setProgrammeMember } from '../db/repositories/member-repository.ts';
import { claimSetupToken, findOpenSetupToken, insertSetupToken } from '../db/repositories/setting-repository.ts';
import { countUsers, findUserByEmail } from '../db/repositories/user-repository.ts';
import type { ServiceContext } from './context.ts';
import { createToken, hashToken } from './tokens.ts';

const setupLifetimeMs = 24 * 60 * 60 * 1000;

/** While there is no account, creates a one-time setup link (valid 24 h) and prints it to the log. */
export async function issueSetupLinkIfNeeded(context: ServiceContext): Promise<string | null> {
  if ((await countUsers(context.db)) > 0) return null;
  const { token, hash } = createToken();
  await insertSetupToken(context.db, hash, new Date(context.now().getTime() + setupLifetimeMs));
  const link = `${context.publicUrl}/einrichtung/${token}`;
  context.log(
    `Noch kein Konto vorhanden. Legen Sie das erste Konto (Programmteam) über diesen einmaligen Link an (24 Stunden gültig):\n  ${link}`,
  );
  return link;
}

/** Whether a setup link can still be used: valid, unused, and no account exists yet. */
export async function checkSetupToken(context: ServiceContext, token: string): Promise<void> {
  if ((await countUsers(context.db)) > 0) throw new DomainError('setup-done');
  if (!(await findOpenSetupToken(context.db, hashToken(token), context.now()))) {
    throw new DomainError('setup-token-invalid');
  }
}

/** Creates a Programmteam account: through the setup link (web) or `weltoffen admin create` (CLI). */
export async function createProgrammteamAccount(
  context: ServiceContext,
  input: { email: string; name: string; password: string; setupToken?: string },
): Promise<{ userId: string }> {
  if (input.setupToken !== undefined) {
    await checkSetupToken(context, input.setupToken);
    if (!(await claimSetupToken(context.db, hashToken(input.setupToken), context.now()))) {
      throw new DomainError('setup-token-invalid');
    }
  }
  if (await findUserByEmail(context.db, input.email)) throw new DomainError('email-taken', { field: 'email' });
  const { id } = await context.accounts.createUser(input);
  await setProgrammeMember(context.db, id, 'programmteam', []);
  await recordAudit(context.db, {
    actorUserId: id,
    action: 'account.created',
    details: { via: input.setupToken ? 'setup-link' : 'cli', role: 'programmteam' },
  });
  return { userId: id };
}
