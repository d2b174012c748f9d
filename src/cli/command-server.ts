import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import {
  base64Chunks,
  clientFrameSchema,
  createLineReader,
  frameLine,
  maxClientFrameBytes,
  parseFrame,
  textChunkCharacters,
  type ServerFrame,
} from './command-protocol.ts';
import { CliError, maxInputFileBytes, UsageError, type CliIo } from './io.ts';

/** Runs one command with the server's runtime; resolves to the exit code. */
export type RunCommand = (argv: string[], io: CliIo) => Promise<number>;

export interface CommandListener {
  /** Stops accepting commands, waits for running ones and removes the socket. */
  close(): Promise<void>;
}

/** A connection that has not sent its command by then is closed. */
const waitForCommandMs = 30_000;

/** Every request the command made that waits for the CLI's answer. */
interface Pending {
  resolve(reply: { text?: string; data: Buffer }): void;
  reject(error: Error): void;
  chunks: Buffer[];
  size: number;
}

const connectionLost = () => new CliError('Die Verbindung zur Kommandozeile wurde unterbrochen.');

/** Serves one connection: one command, its output streamed back, its file and password requests answered by the CLI. */
function serveConnection(socket: Socket, run: RunCommand, track: (done: Promise<void>) => boolean): void {
  let state: 'waiting' | 'running' | 'done' = 'waiting';
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const send = (frame: ServerFrame) => {
    if (!socket.destroyed && socket.writable) socket.write(frameLine(frame));
  };
  const failPending = () => {
    for (const request of pending.values()) request.reject(connectionLost());
    pending.clear();
  };
  const refuse = (message: string) => {
    reader.stop();
    send({ t: 'err', d: `${message}\n` });
    send({ t: 'exit', code: 2 });
    state = 'done';
    socket.end();
    failPending();
  };
  const ask = (id: number, frame: ServerFrame) =>
    new Promise<{ text?: string; data: Buffer }>((resolve, reject) => {
      if (socket.destroyed || !socket.writable) return reject(connectionLost());
      pending.set(id, { resolve, reject, chunks: [], size: 0 });
      send(frame);
    });
  const sendText = (kind: 'out' | 'err', text: string) => {
    for (let offset = 0; offset < text.length; offset += textChunkCharacters) send({ t: kind, d: text.slice(offset, offset + textChunkCharacters) });
  };
  const io: CliIo = {
    stdout: (text) => sendText('out', text),
    stderr: (text) => sendText('err', text),
    async readPassword(fromStdin) {
      const id = nextId++;
      return (await ask(id, { t: 'password', id, fromStdin })).text ?? '';
    },
    async readFile(file) {
      const id = nextId++;
      return (await ask(id, { t: 'read', id, path: file })).data;
    },
    async writeFile(file, data) {
      const id = nextId++;
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (const chunk of base64Chunks(bytes)) send({ t: 'chunk', id, data: chunk });
      await ask(id, { t: 'write', id, path: file });
    },
  };

  const start = (argv: string[]) => {
    let finished = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    if (!track(done)) return refuse('Der Server wird gerade beendet; der Befehl wurde nicht ausgeführt. Sobald er beendet ist, öffnet die Kommandozeile die Datenbank selbst.');
    state = 'running';
    socket.setTimeout(0);
    void run(argv, io)
      .catch(() => 1)
      .then((code) => {
        send({ t: 'exit', code });
        state = 'done';
        socket.end();
      })
      .finally(finished);
  };

  const reader = createLineReader(
    maxClientFrameBytes,
    (line) => {
      if (state === 'done') return;
      const frame = parseFrame(clientFrameSchema, line);
      if (!frame) return refuse('Der Server hat eine ungültige Nachricht der Kommandozeile erhalten; der Befehl wurde nicht ausgeführt. Passen Kommandozeile und Server zur selben Version von Weltoffen?');
      if (frame.t === 'run') {
        if (state !== 'waiting') return refuse('Über eine Verbindung läuft nur ein Befehl.');
        return start(frame.argv);
      }
      const request = pending.get(frame.id);
      if (state !== 'running' || !request) return refuse('Der Server hat eine Antwort erhalten, nach der er nicht gefragt hat.');
      if (frame.t === 'chunk') {
        const bytes = Buffer.from(frame.data, 'base64');
        request.size += bytes.length;
        if (request.size > maxInputFileBytes) {
          pending.delete(frame.id);
          request.reject(Object.assign(new Error('EFBIG'), { code: 'EFBIG' }));
          return;
        }
        request.chunks.push(bytes);
        return;
      }
      pending.delete(frame.id);
      if (frame.ok) request.resolve({ text: frame.text, data: Buffer.concat(request.chunks) });
      else if (frame.usage !== undefined) request.reject(new UsageError(frame.usage));
      else if (frame.code !== undefined) request.reject(Object.assign(new Error(frame.code), { code: frame.code }));
      else request.reject(new CliError(frame.message ?? 'Die Kommandozeile hat einen Fehler gemeldet.'));
    },
    () => refuse('Eine Nachricht der Kommandozeile war zu lang; der Befehl wurde abgebrochen.'),
  );

  socket.setTimeout(waitForCommandMs, () => {
    if (state === 'waiting') refuse('Es kam kein Befehl; die Verbindung wurde geschlossen.');
  });
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  // A CLI that went away: its command's requests fail, the command ends, nothing else happens.
  socket.on('error', () => {});
  socket.on('close', () => {
    reader.stop();
    failPending();
  });
}

/** Removes a socket left by a process that died; the data-directory lock says no other process uses it. */
function removeStaleSocket(socketPath: string): void {
  try {
    if (!lstatSync(socketPath).isSocket()) throw new Error(`${socketPath} ist keine Socket-Datei`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  rmSync(socketPath, { force: true });
}

/**
 * Accepts `weltoffen` commands on a Unix domain socket (mode 0600) while the server runs on the
 * embedded database, and runs each with the server's own runtime. Never throws: without the socket
 * the server still runs, and the commands say that the data directory is in use.
 */
export async function listenForCommands(socketPath: string, run: RunCommand, log: (message: string) => void): Promise<CommandListener | undefined> {
  const connections = new Set<Socket>();
  const running = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, run, (done) => {
      if (closing) return false;
      running.add(done);
      void done.finally(() => running.delete(done));
      return true;
    });
  });
  try {
    removeStaleSocket(socketPath);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Created with mode 0600 from the start (the umask covers the moment between bind and chmod).
      const umask = process.umask(0o177);
      try {
        server.listen(socketPath, () => resolve());
      } finally {
        process.umask(umask);
      }
    });
    chmodSync(socketPath, 0o600);
  } catch (error) {
    server.close();
    const code = (error as NodeJS.ErrnoException).code;
    log(`Befehle der Kommandozeile sind während des Betriebs nicht möglich: ${socketPath} ließ sich nicht anlegen (${code ?? (error as Error).message}).`);
    return undefined;
  }
  server.on('error', () => {});
  return {
    close: () =>
      (closing ??= (async () => {
        server.close();
        // Commands that are running finish; connections that never sent one are closed.
        await Promise.allSettled([...running]);
        for (const socket of connections) socket.destroy();
        rmSync(socketPath, { force: true });
      })()),
  };
}
