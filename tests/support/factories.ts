import { randomBytes, randomUUID } from 'node:crypto';
import type { KommuneRole, ProgrammeRole } from '../../src/domain/access.ts';
import type { KommuneKind } from '../../src/domain/kommune.ts';
import { insertKommune } from '../../src/db/repositories/kommune-repository.ts';
import { setProgrammeMember, upsertMembership } from '../../src/db/repositories/member-repository.ts';
import type { TestRuntime } from './database.ts';
import { TestClient } from './http.ts';

export const testPassword = 'ein-sicheres-Passwort-2026';

/** A Kommune with a unique name and slug (a Stadt unless another kind is given), taking Modul 1 unless others are given. */
export async function makeKommune(
  runtime: TestRuntime,
  name = `Teststadt ${randomBytes(3).toString('hex')}`,
  kind: KommuneKind = 'Stadt',
  options: { modules?: (1 | 2 | 3)[]; designation?: string | null; gemeindeschluessel?: string | null } = {},
) {
  return insertKommune(runtime.services.db, {
    id: randomUUID(),
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    name,
    kind,
    designation: options.designation ?? null,
    gemeindeschluessel: options.gemeindeschluessel ?? null,
    bundesland: 'Sachsen-Anhalt',
    modules: options.modules ?? [1],
  });
}

export interface Person {
  userId: string;
  email: string;
  client: TestClient;
}

/** A person with an account, the given role, and a signed-in client. */
export async function makePerson(
  runtime: TestRuntime,
  role: { programme?: ProgrammeRole; kommune?: { id: string; role: KommuneRole; fieldKeys?: string[] }; assigned?: string[] },
): Promise<Person> {
  const email = `person-${randomBytes(4).toString('hex')}@example.org`;
  const { id } = await runtime.services.accounts.createUser({ email, name: 'Erika Mustermann', password: testPassword });
  if (role.programme) await setProgrammeMember(runtime.services.db, id, role.programme, role.assigned ?? []);
  if (role.kommune) {
    await upsertMembership(runtime.services.db, {
      kommuneId: role.kommune.id,
      userId: id,
      role: role.kommune.role,
      fieldKeys: role.kommune.fieldKeys ?? null,
    });
  }
  // Each person signs in from an address of its own, so the sign-in limit of one does not hit another.
  const client = new TestClient(runtime, `198.51.100.${Math.floor(Math.random() * 250) + 1}`);
  const response = await client.signIn(email, testPassword);
  if (response.status !== 200) throw new Error(`Anmeldung im Test fehlgeschlagen: ${JSON.stringify(response.body)}`);
  return { userId: id, email, client };
}
