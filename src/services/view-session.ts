import { globalPermissions, roleInKommune, type Actor } from '../domain/access.ts';

/**
 * What the web app learns of the signed-in person (GET /api/session): who it is, the programme role,
 * the global permissions and per Kommune the role that governs there. Built here, not in the route,
 * so the web app's SessionInfo is derived from it (src/web/api/from-services/answers.ts).
 */
export function describeSession(user: { id: string; name: string; email: string }, actor: Actor) {
  return {
    user: { id: user.id, name: user.name, email: user.email },
    programmeRole: actor.programmeRole,
    permissions: globalPermissions(actor),
    memberships: actor.memberships.map((membership) => ({
      kommuneId: membership.kommuneId,
      role: roleInKommune(actor, membership.kommuneId),
      fieldKeys: membership.fieldKeys,
    })),
  };
}
