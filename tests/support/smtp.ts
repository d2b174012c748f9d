import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as a real SMTP server received it: the envelope's recipients and the message, soft line breaks of quoted-printable joined. */
export interface CapturedMail {
  to: string[];
  data: string;
}

/** A real SMTP server on loopback that keeps every mail it receives, for tests of what Weltoffen sends. */
export async function startCaptureSmtp(): Promise<{ url: string; port: number; received: CapturedMail[]; close(): Promise<void> }> {
  const received: CapturedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk) => (data += chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((entry) => entry.address), data: data.replace(/=\r?\n/g, '') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, port, received, close: () => new Promise<void>((resolve) => smtp.close(resolve)) };
}

/** A mail's text with quoted-printable escapes undone (=3D to „=“), for reading links and sentences. */
export function decodedMail(mail: CapturedMail): string {
  return mail.data.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
