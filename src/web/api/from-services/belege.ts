// The answers of the Belege API (issue 18), derived from what the service returns.
// Types only (`import type`): no server code reaches the browser.
import type { deleteEvidence, getEvidence, listEvidence, startEvidenceUpload } from '../../../services/manage-evidence.ts';
import type { Json } from './answers.ts';

/** GET /api/kommunen/:slug/belege */
export type BelegeAnswer = Json<Awaited<ReturnType<typeof listEvidence>>>;
/** One Beleg with its versions (newest first) and links; also the answer of finish, PATCH and the link routes. */
export type Beleg = Json<Awaited<ReturnType<typeof getEvidence>>>;
export type BelegVersion = Beleg['versions'][number];
export type BelegLink = Beleg['links'][number];
/** POST …/belege/uploads */
export type StartedUpload = Json<Awaited<ReturnType<typeof startEvidenceUpload>>>;
/** DELETE …/belege/:id */
export type DeletedBeleg = Json<Awaited<ReturnType<typeof deleteEvidence>>>;
