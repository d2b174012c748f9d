import { randomBytes, randomUUID } from 'node:crypto';
import type { KommuneRole, ProgrammeRole } from '../domain/access.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findKommuneBySlug, insertKommune } from '../db/repositories/kommune-repository.ts';
import { setProgrammeMember, upsertMembership } from '../db/repositories/member-repository.ts';
import { findUserByEmail } from '../db/repositories/user-repository.ts';
import type { ServiceContext } from './context.ts';

export const demoSlug = 'musterstadt';

interface DemoPerson {
  email: string;
  name: string;
  programmeRole?: ProgrammeRole;
  kommuneRole?: KommuneRole;
  fieldKeys?: string[];
}

/** The people of the demo: one of every role, some Mitwirkende limited to their Handlungsfelder. */
export const demoPeople: readonly DemoPerson[] = [
  { email: 'programmteam@musterstadt.example', name: 'Paula Programm', programmeRole: 'programmteam' },
  { email: 'begleitung@musterstadt.example', name: 'Bernd Begleiter', programmeRole: 'prozessbegleitung' },
  { email: 'integrationsbuero@musterstadt.example', name: 'Ayşe Yılmaz', kommuneRole: 'koordination' },
  { email: 'personalamt@musterstadt.example', name: 'Jonas Krüger', kommuneRole: 'mitwirkende', fieldKeys: ['1', '4'] },
  { email: 'sozialamt@musterstadt.example', name: 'Marija Nowak', kommuneRole: 'mitwirkende', fieldKeys: ['2', '6'] },
  { email: 'wirtschaft@musterstadt.example', name: 'Thomas Weiß', kommuneRole: 'mitwirkende', fieldKeys: ['3'] },
  { email: 'buergermeisterin@musterstadt.example', name: 'Dr. Helga Sommer', kommuneRole: 'lesende' },
];

/**
 * Loads the demo Kommune Musterstadt with members of every role. All demo accounts get one random
 * password, returned once; there is no built-in password.
 */
export async function loadDemo(
  context: ServiceContext,
): Promise<{ isCreated: boolean; slug: string; password: string | null; people: readonly DemoPerson[] }> {
  if (await findKommuneBySlug(context.db, demoSlug)) {
    return { isCreated: false, slug: demoSlug, password: null, people: demoPeople };
  }
  const password = randomBytes(12).toString('base64url');
  const kommuneId = randomUUID();
  await insertKommune(context.db, {
    id: kommuneId,
    slug: demoSlug,
    name: 'Musterstadt',
    kind: 'Stadt',
    gemeindeschluessel: '15099999',
    bundesland: 'Sachsen-Anhalt',
    modules: [1, 2, 3],
  });
  for (const person of demoPeople) {
    const existing = await findUserByEmail(context.db, person.email);
    const userId =
      existing?.id ?? (await context.accounts.createUser({ email: person.email, name: person.name, password })).id;
    if (person.programmeRole) {
      await setProgrammeMember(
        context.db,
        userId,
        person.programmeRole,
        person.programmeRole === 'prozessbegleitung' ? [kommuneId] : [],
      );
    }
    if (person.kommuneRole) {
      await upsertMembership(context.db, {
        kommuneId,
        userId,
        role: person.kommuneRole,
        fieldKeys: person.fieldKeys ?? null,
      });
    }
  }
  await recordAudit(context.db, { actorUserId: null, action: 'demo.loaded', kommuneId });
  return { isCreated: true, slug: demoSlug, password, people: demoPeople };
}
