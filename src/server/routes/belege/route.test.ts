import { createHash } from 'node:crypto';
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../../../tests/support/database.ts';
import { minimalDocx, minimalPdf, startBelegUpload, uploadBeleg } from '../../../../tests/support/belege.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { contentDisposition } from './route.ts';

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let lesende: Person;
let base: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  base = `/api/kommunen/${kommune.slug}/belege`;
});
afterAll(() => runtime?.close());

/** The raw response of a download (TestClient would turn the bytes into text). */
async function download(person: Person, path: string): Promise<Response> {
  return runtime.app.request(`http://localhost:3000${path}`, { headers: { cookie: person.client.cookieHeader, 'x-forwarded-for': '198.51.100.7' } });
}

describe(`Belege routes (${testDatabaseKind})`, () => {
  it('uploads in parts with HEAD after a failure, and serves a PDF inline in a sandbox, byte for byte', async () => {
    const bytes = minimalPdf(1_500_000);
    const { uploadId, documentId } = await startBelegUpload(koordination.client, kommune.slug, bytes, { title: 'Ratsbeschluss', fileName: 'Ratsbeschluss Integration.pdf' });
    const first = await koordination.client.request('PUT', `${base}/uploads/${uploadId}?offset=0`, bytes.slice(0, 1024 * 1024));
    expect(first.status).toBe(200);
    expect(first.headers.get('upload-offset')).toBe(String(1024 * 1024));
    // After a broken connection the browser asks where the upload stands (HEAD).
    const head = await runtime.app.request(`http://localhost:3000${base}/uploads/${uploadId}`, { method: 'HEAD', headers: { cookie: koordination.client.cookieHeader } });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(1024 * 1024));
    const wrong = await koordination.client.request('PUT', `${base}/uploads/${uploadId}?offset=0`, bytes.slice(0, 1000));
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('evidence-offset');
    expect(wrong.body.current).toEqual({ offset: 1024 * 1024, size: bytes.length });
    const early = await koordination.client.post(`${base}/uploads/${uploadId}/finish`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/ist erst zu 69 % hochgeladen\. Bitte wählen Sie „Erneut versuchen“\./);
    expect((await koordination.client.request('PUT', `${base}/uploads/${uploadId}?offset=${1024 * 1024}`, bytes.slice(1024 * 1024))).status).toBe(200);
    const finished = await koordination.client.post(`${base}/uploads/${uploadId}/finish`);
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ id: documentId, current: { number: 1, fileName: 'Ratsbeschluss Integration.pdf', size: bytes.length } });

    const response = await download(koordination, `${base}/${documentId}/versions/1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="Ratsbeschluss Integration.pdf"; filename*=UTF-8''Ratsbeschluss%20Integration.pdf`);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('serves every other type only as a download with an RFC 6266 name; the app keeps its own CSP there', async () => {
    const document = await uploadBeleg(koordination.client, kommune.slug, minimalDocx(), { title: 'Maßnahmenplan', fileName: 'Maßnahmenplan Übersicht.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    const response = await download(koordination, `${base}/${document.id}/versions/1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="Massnahmenplan Uebersicht.docx"; filename*=UTF-8''Ma%C3%9Fnahmenplan%20%C3%9Cbersicht.docx`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(contentDisposition('attachment', 'a"b\\c%.pdf')).toBe(`attachment; filename="a_b_c_.pdf"; filename*=UTF-8''a%22b%5Cc%25.pdf`);
  });

  it('answers wrong input, refused files and missing rights with German 4xx messages', async () => {
    runtime.services.evidenceLimits = { maxBytes: 2 * 1024 * 1024, quotaBytes: 100 * 1024 * 1024 };
    const big = await koordination.client.post(`${base}/uploads`, { title: 'Zu groß', fileName: 'gross.pdf', size: 3 * 1024 * 1024 });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toBe('Die Datei „gross.pdf“ ist zu groß: 3 MB; erlaubt sind höchstens 2 MB. Bitte verkleinern Sie sie (etwa als PDF mit geringerer Bildqualität) oder teilen Sie sie auf.');
    delete runtime.services.evidenceLimits;

    const noTitle = await koordination.client.post(`${base}/uploads`, { fileName: 'x.pdf', size: 10 });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.error.message).toMatch(/Titel/);

    const html = strToU8('<!doctype html><script>alert(1)</script>');
    const { uploadId } = await startBelegUpload(koordination.client, kommune.slug, html, { title: 'Getarnt', fileName: 'beschluss.pdf' });
    const asJson = await koordination.client.request('PUT', `${base}/uploads/${uploadId}?offset=0`, 'x', { 'content-type': 'application/json' });
    expect(asJson.status).toBe(400);
    expect(asJson.body.error.message).toMatch(/application\/octet-stream/);
    expect((await koordination.client.request('PUT', `${base}/uploads/${uploadId}?offset=0`, html)).status).toBe(200);
    const refused = await koordination.client.post(`${base}/uploads/${uploadId}/finish`);
    expect(refused.status).toBe(415);
    expect(refused.body.error.message).toMatch(/„beschluss\.pdf“ hat kein erlaubtes Format/);
    // Refused files are gone at once.
    expect((await koordination.client.get(`${base}/uploads/${uploadId}`)).status).toBe(404);

    const tooMuch = await koordination.client.request('PUT', `${base}/uploads/${crypto.randomUUID()}?offset=0`, new Uint8Array(1024 * 1024 + 1));
    expect(tooMuch.status).toBe(413);

    expect((await koordination.client.get(`${base}/keine-id`)).status).toBe(400);
    const missing = await koordination.client.get(`${base}/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Diesen Beleg oder diese Fassung gibt es nicht mehr, oder er ist nicht für Sie freigegeben. Bitte laden Sie die Seite „Belege“ neu.');

    const lesendeUpload = await lesende.client.post(`${base}/uploads`, { title: 'Von Lesenden', fileName: 'x.pdf', size: 10 });
    expect(lesendeUpload.status).toBe(403);
    expect(lesendeUpload.body.error.message).toMatch(/Berechtigung/);
  });

  it('Lesende open a document only after its release; a deleted one is gone for everyone', async () => {
    const document = await uploadBeleg(koordination.client, kommune.slug, minimalPdf(800), { title: 'Monitoringbericht' });
    expect((await download(lesende, `${base}/${document.id}/versions/1`)).status).toBe(404);
    expect((await lesende.client.get(base)).body.documents.map((entry: { id: string }) => entry.id)).not.toContain(document.id);
    expect((await koordination.client.request('PATCH', `${base}/${document.id}`, { releasedForReaders: true })).status).toBe(200);
    expect((await download(lesende, `${base}/${document.id}/versions/1`)).status).toBe(200);
    const list = await lesende.client.get(base);
    expect(list.body).toMatchObject({ canUpload: false, canManage: false });
    expect(list.body.documents.map((entry: { id: string }) => entry.id)).toContain(document.id);
    expect((await koordination.client.delete(`${base}/${document.id}`)).status).toBe(200);
    expect((await download(koordination, `${base}/${document.id}/versions/1`)).status).toBe(404);
    expect((await koordination.client.get(`${base}/${document.id}`)).status).toBe(404);
  });
});
