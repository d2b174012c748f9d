/** The request schemas of the programme routes (src/server/routes/programme): pure, so the web app can type its bodies with z.input. */
import { z } from 'zod';
import { emailSchema, programmeRoleSchema, uuidSchema } from './common.ts';

/** The Kommunen assigned to a Prozessbegleitung (ignored for the Programmteam). */
const assignedSchema = z.array(uuidSchema).max(1000).default([]);
export const programmeInviteSchema = z.object({ email: emailSchema, role: programmeRoleSchema, assignedKommuneIds: assignedSchema });
export const programmeChangeSchema = z.object({ role: programmeRoleSchema, assignedKommuneIds: assignedSchema });

/** The bodies as the web app sends them (z.input: before defaults). */
export type ProgrammeInviteInput = z.input<typeof programmeInviteSchema>;
export type ProgrammeChangeInput = z.input<typeof programmeChangeSchema>;
