import { Hono } from 'hono';
import {
  belegeParams,
  belegParams,
  belegVersionParams,
  changeBelegSchema,
  evidenceUploadPartBytes,
  linkParams,
  putUploadQuery,
  startUploadSchema,
  uploadParams,
} from '../../../domain/api/belege.ts';
import type { ErrorCode } from '../../../domain/errors.ts';
import {
  changeEvidence,
  deleteEvidence,
  evidenceUploadOffset,
  finishEvidenceUpload,
  getEvidence,
  linkEvidence,
  listEvidence,
  openEvidenceVersion,
  putEvidenceBytes,
  startEvidenceUpload,
  unlinkEvidence,
} from '../../../services/manage-evidence.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { InputError } from '../../http.ts';
import { kommuneErrors, roundErrors } from '../common-schemas.ts';

const tag = 'Belege';
const documentErrors = [...kommuneErrors, 'evidence-not-found'] as const satisfies readonly ErrorCode[];
const uploadErrors = [...kommuneErrors, 'evidence-upload-not-found'] as const satisfies readonly ErrorCode[];
const linkErrors = [...roundErrors, 'evidence-not-found', 'question-unknown', 'criterion-unknown', 'field-not-assigned', 'field-not-worked', 'round-closed'] as const satisfies readonly ErrorCode[];

/** The request body as it arrives, part by part (never read whole). */
async function* bytesOf(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** RFC 6266: an ASCII fallback in `filename` (umlauts spelt out, other letters without accents), the real name in `filename*`. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const german: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };
  const fallback = fileName
    .replace(/[äöüÄÖÜß]/g, (letter) => german[letter]!)
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Belege of a Kommune (issue 18): /api/kommunen/:slug/belege… */
export const belegeRoutes = new Hono<AppEnv>()
  .get(
    '/belege',
    endpoint(
      {
        tag,
        summary: 'Alle Belege der Kommune mit aktueller Fassung, Verknüpfungen und belegtem Speicher',
        description: 'Lesende sehen nur Belege, die die Koordination für sie freigegeben hat.',
        access: 'signed-in',
        params: belegeParams,
        errors: kommuneErrors,
        response: { description: '`{ documents, usedBytes, quotaBytes, maxBytes, canUpload, canManage }`' },
      },
      async (context, { actor, params }) => context.json(await listEvidence(context.var.deps.services, actor, params.slug)),
    ),
  )
  .post(
    '/belege/uploads',
    endpoint(
      {
        tag,
        summary: 'Beginnt das Hochladen einer Datei als neuer Beleg oder als neue Fassung eines Belegs',
        description:
          'Prüft Größe und Speicher der Kommune, bevor ein Byte gesendet wird. Danach die Bytes mit `PUT …/uploads/:uploadId?offset=` in Teilen von höchstens 1 MiB senden und mit `POST …/finish` abschließen.',
        access: 'signed-in',
        params: belegeParams,
        body: startUploadSchema,
        errors: [...kommuneErrors, 'evidence-not-found', 'evidence-too-large', 'evidence-quota'],
        response: { status: 201, description: '`{ uploadId, documentId, offset, size, chunkBytes }`' },
      },
      async (context, { actor, params, body }) => context.json(await startEvidenceUpload(context.var.deps.services, actor, params.slug, body), 201),
    ),
  )
  .get(
    '/belege/uploads/:uploadId',
    endpoint(
      {
        tag,
        summary: 'Wie weit ein Hochladen ist (auch als HEAD)',
        description: 'Die Zahl der gespeicherten Bytes steht im Kopf `Upload-Offset` und im Inhalt; nach einem Abbruch geht das Hochladen dort weiter.',
        access: 'signed-in',
        params: uploadParams,
        errors: uploadErrors,
        response: { description: '`{ offset, size }`, Kopf `Upload-Offset`' },
      },
      async (context, { actor, params }) => {
        const state = await evidenceUploadOffset(context.var.deps.services, actor, params.slug, params.uploadId);
        context.header('Upload-Offset', String(state.offset));
        return context.json(state);
      },
    ),
  )
  .put(
    '/belege/uploads/:uploadId',
    endpoint(
      {
        tag,
        summary: 'Speichert einen Teil der Datei ab der Stelle `offset`',
        description:
          'Inhalt: die Bytes (`Content-Type: application/octet-stream`, höchstens 1 MiB je Anfrage). `offset` muss die Zahl der schon gespeicherten Bytes sein, sonst 409 `evidence-offset` mit `current.offset`.',
        access: 'signed-in',
        params: uploadParams,
        query: putUploadQuery,
        rawBody: { contentType: 'application/octet-stream', description: 'Die nächsten Bytes der Datei' },
        errors: [...uploadErrors, 'evidence-offset', 'evidence-upload-overflow'],
        response: { description: '`{ offset, size }`, Kopf `Upload-Offset`' },
      },
      async (context, { actor, params, query }) => {
        const type = (context.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/octet-stream') throw new InputError(undefined, 'Die Bytes der Datei müssen als application/octet-stream gesendet werden.');
        const length = Number(context.req.header('content-length') ?? Number.NaN);
        if (length > evidenceUploadPartBytes) throw new InputError(undefined, 'Ein Teil der Datei darf höchstens 1 MiB groß sein.');
        const state = await putEvidenceBytes(context.var.deps.services, actor, params.slug, params.uploadId, query.offset, bytesOf(context.req.raw.body));
        context.header('Upload-Offset', String(state.offset));
        return context.json(state);
      },
    ),
  )
  .post(
    '/belege/uploads/:uploadId/finish',
    endpoint(
      {
        tag,
        summary: 'Schließt das Hochladen ab: prüft die Datei nach ihrem Inhalt und zeigt sie als Fassung des Belegs',
        description: 'Eine abgelehnte Datei (415 keine erlaubte Art, 422 beschädigt oder Name und Inhalt passen nicht) wird sofort gelöscht.',
        access: 'signed-in',
        params: uploadParams,
        errors: [...uploadErrors, 'evidence-upload-incomplete', 'evidence-type-refused', 'evidence-file-invalid', 'evidence-quota'],
        response: { description: 'Der Beleg mit seinen Fassungen und Verknüpfungen' },
      },
      async (context, { actor, params }) => context.json(await finishEvidenceUpload(context.var.deps.services, actor, params.slug, params.uploadId)),
    ),
  )
  .get(
    '/belege/:documentId',
    endpoint(
      { tag, summary: 'Ein Beleg mit allen Fassungen und Verknüpfungen', access: 'signed-in', params: belegParams, errors: documentErrors, response: { description: 'Der Beleg' } },
      async (context, { actor, params }) => context.json(await getEvidence(context.var.deps.services, actor, params.slug, params.documentId)),
    ),
  )
  .patch(
    '/belege/:documentId',
    endpoint(
      {
        tag,
        summary: 'Ändert Titel, Datum oder die Freigabe für Lesende',
        description: 'Titel und Datum: wer Belege hochlädt; die Freigabe: Koordination und Programmteam.',
        access: 'signed-in',
        params: belegParams,
        body: changeBelegSchema,
        errors: documentErrors,
        response: { description: 'Der Beleg' },
      },
      async (context, { actor, params, body }) => context.json(await changeEvidence(context.var.deps.services, actor, params.slug, params.documentId, body)),
    ),
  )
  .delete(
    '/belege/:documentId',
    endpoint(
      {
        tag,
        summary: 'Löscht einen Beleg mit allen Fassungen; er verschwindet aus allen Antworten und Kriterien',
        description: 'Das Protokoll behält Titel, Dateinamen, Größen und Prüfsummen und wer gelöscht hat.',
        access: 'signed-in',
        params: belegParams,
        errors: documentErrors,
        response: { description: '`{ deleted, links }`' },
      },
      async (context, { actor, params }) => context.json(await deleteEvidence(context.var.deps.services, actor, params.slug, params.documentId)),
    ),
  )
  .get(
    '/belege/:documentId/versions/:number',
    endpoint(
      {
        tag,
        summary: 'Die Datei einer Fassung',
        description:
          'PDF im Browser (`inline`) unter `Content-Security-Policy: sandbox; default-src \'none\'`; jede andere Art nur als Download (`Content-Disposition: attachment`). Immer `X-Content-Type-Options: nosniff`.',
        access: 'signed-in',
        params: belegVersionParams,
        errors: documentErrors,
        response: { description: 'Die Bytes der Datei', contentTypes: ['application/pdf', 'application/octet-stream'] },
      },
      async (context, { actor, params }) => {
        const file = await openEvidenceVersion(context.var.deps.services, actor, params.slug, params.documentId, params.number);
        const isPdf = file.mediaType === 'application/pdf';
        context.header('Content-Type', file.mediaType);
        context.header('Content-Length', String(file.size));
        context.header('Content-Disposition', contentDisposition(isPdf ? 'inline' : 'attachment', file.fileName));
        context.header('X-Content-Type-Options', 'nosniff');
        context.header('ETag', `"${file.sha256}"`);
        if (isPdf) context.header('Content-Security-Policy', "sandbox; default-src 'none'");
        const chunks = file.chunks();
        const stream = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const next = await chunks.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
          async cancel() {
            await chunks.return(undefined);
          },
        });
        return context.body(stream);
      },
    ),
  )
  .put(
    '/belege/:documentId/links/:round/:kind/:key',
    endpoint(
      {
        tag,
        summary: 'Verknüpft einen Beleg mit einer Leitfrage oder einem Kriterium einer Runde',
        description: 'Nur in einer offenen Runde und einem bearbeiteten Handlungsfeld; Mitwirkende nur in ihren Handlungsfeldern.',
        access: 'signed-in',
        params: linkParams,
        errors: linkErrors,
        response: { description: 'Der Beleg' },
      },
      async (context, { actor, params }) =>
        context.json(await linkEvidence(context.var.deps.services, actor, params.slug, params.documentId, { round: params.round, kind: params.kind, key: params.key })),
    ),
  )
  .delete(
    '/belege/:documentId/links/:round/:kind/:key',
    endpoint(
      { tag, summary: 'Löst einen Beleg von einer Leitfrage oder einem Kriterium', access: 'signed-in', params: linkParams, errors: [...linkErrors, 'not-found'], response: { description: 'Der Beleg' } },
      async (context, { actor, params }) =>
        context.json(await unlinkEvidence(context.var.deps.services, actor, params.slug, params.documentId, { round: params.round, kind: params.kind, key: params.key })),
    ),
  );
