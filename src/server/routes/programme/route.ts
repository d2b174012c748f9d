import { Hono } from 'hono';
import { z } from 'zod';
import { inviteIntoProgramme } from '../../../services/manage-invitations.ts';
import {
  changeProgrammeMember,
  getProgrammeTeam,
  removeProgrammeMember,
} from '../../../services/manage-members.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams, requireActor } from '../../http.ts';
import { emailSchema, programmeRoleSchema, uuidSchema } from '../common-schemas.ts';

const assignedSchema = z.array(uuidSchema).max(1000).default([]);
const inviteSchema = z.object({ email: emailSchema, role: programmeRoleSchema, assignedKommuneIds: assignedSchema });
const changeSchema = z.object({ role: programmeRoleSchema, assignedKommuneIds: assignedSchema });
const userParams = z.object({ userId: uuidSchema });

/** The programme's people: Programmteam and Prozessbegleitung. */
export const programmeRoutes = new Hono<AppEnv>()
  .get('/', async (context) => {
    const actor = await requireActor(context);
    return context.json(await getProgrammeTeam(context.var.deps.services, actor));
  })
  .post('/invitations', async (context) => {
    const actor = await requireActor(context);
    const input = await readBody(context, inviteSchema);
    return context.json({ invitation: await inviteIntoProgramme(context.var.deps.services, actor, input) }, 201);
  })
  .put('/members/:userId', async (context) => {
    const actor = await requireActor(context);
    const { userId } = readParams(context.req.param(), userParams);
    const input = await readBody(context, changeSchema);
    await changeProgrammeMember(context.var.deps.services, actor, userId, input);
    return context.json({ ok: true });
  })
  .delete('/members/:userId', async (context) => {
    const actor = await requireActor(context);
    const { userId } = readParams(context.req.param(), userParams);
    await removeProgrammeMember(context.var.deps.services, actor, userId);
    return context.json({ ok: true });
  });
