import { strToU8, zipSync } from 'fflate';
import { expect } from 'vitest';
import type { TestClient } from './http.ts';

/** A tiny real PDF, padded with comment bytes to `size` (so it may span several 256 KiB pieces). */
export function minimalPdf(size = 600): Uint8Array {
  const head = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n';
  const tail = 'trailer << /Root 1 0 R >>\n%%EOF\n';
  const bytes = new Uint8Array(size);
  bytes.set(strToU8(head), 0);
  for (let index = head.length; index < size - tail.length; index++) bytes[index] = index % 64 === 63 ? 0x0a : 0x25 + (index % 50);
  bytes.set(strToU8(tail), size - tail.length);
  return bytes;
}

/** A minimal DOCX: the content types and word/document.xml in a ZIP. */
export function minimalDocx(text = 'Ratsbeschluss'): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    'word/document.xml': strToU8(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`),
  });
}

/** Starts an upload through the API (201 expected); returns its ids. */
export async function startBelegUpload(client: TestClient, slug: string, bytes: Uint8Array, options: { title?: string; fileName?: string; mediaType?: string; documentId?: string } = {}) {
  const started = await client.post(`/api/kommunen/${slug}/belege/uploads`, {
    ...(options.documentId ? { documentId: options.documentId } : { title: options.title ?? 'Ratsbeschluss', documentDate: '2026-03-12' }),
    fileName: options.fileName ?? 'Ratsbeschluss.pdf',
    size: bytes.length,
    mediaType: options.mediaType ?? 'application/pdf',
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body as { uploadId: string; documentId: string };
}

/** Uploads a file through the API in parts of at most 1 MiB and finishes it; returns the document. */
export async function uploadBeleg(client: TestClient, slug: string, bytes: Uint8Array, options: { title?: string; fileName?: string; mediaType?: string; documentId?: string; partBytes?: number } = {}) {
  const { uploadId } = await startBelegUpload(client, slug, bytes, options);
  const part = options.partBytes ?? 1024 * 1024;
  for (let offset = 0; offset < bytes.length; offset += part) {
    const response = await client.request('PUT', `/api/kommunen/${slug}/belege/uploads/${uploadId}?offset=${offset}`, bytes.slice(offset, offset + part));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }
  const finished = await client.post(`/api/kommunen/${slug}/belege/uploads/${uploadId}/finish`);
  expect(finished.status, JSON.stringify(finished.body)).toBe(200);
  return finished.body as { id: string; title: string; current: { number: number; fileName: string; sha256: string } };
}
