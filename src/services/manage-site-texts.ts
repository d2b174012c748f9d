import type { Actor } from '../domain/access.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { getSiteText, setSiteText } from '../db/repositories/setting-repository.ts';
import type { Database } from '../db/client.ts';
import { requireGlobal } from './require-kommune.ts';

/**
 * Texts the operator writes; shown publicly, without sign-in, as the law requires for the Impressum.
 * The programme's title and text open every Abschlussbericht.
 */
export const siteTextKeys = ['impressum', 'datenschutz', 'barrierefreiheit-kontakt', 'programm-titel', 'programm-text'] as const;
export type SiteTextKey = (typeof siteTextKeys)[number];

export async function readSiteText(db: Database, key: SiteTextKey) {
  const row = await getSiteText(db, key);
  return { key, body: row?.body ?? null, updatedAt: row?.updatedAt ?? null };
}

export async function writeSiteText(db: Database, actor: Actor, key: SiteTextKey, body: string): Promise<void> {
  requireGlobal(actor, 'site.edit');
  await setSiteText(db, key, body, actor.userId);
  await recordAudit(db, { actorUserId: actor.userId, action: 'site-text.updated', details: { key } });
}
