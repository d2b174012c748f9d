import { connect, type Socket } from 'node:net';
import {
  base64Chunks,
  createLineReader,
  frameLine,
  maxServerFrameBytes,
  parseFrame,
  serverFrameSchema,
  type ClientFrame,
  type ServerFrame,
} from './command-protocol.ts';
import { CliError, UsageError, type CliIo } from './io.ts';

/**
 * Connects to the running server's command socket. Null when nobody listens (no server, or a socket
 * file left by a server that was killed): the command then opens the database itself.
 */
export function connectToServer(socketPath: string, dataDir: string): Promise<Socket | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === 'EACCES' || error.code === 'EPERM') {
        reject(new CliError(wrongUserMessage(socketPath, dataDir)));
        return;
      }
      resolve(null);
    });
  });
}

/**
 * Said when this user may not use the running server's socket. sudo drops the environment, so the
 * example passes DATA_DIR again (as docs/operations.md shows).
 */
export function wrongUserMessage(socketPath: string, dataDir: string): string {
  const quoted = /^[\w./-]+$/.test(dataDir) ? dataDir : `'${dataDir.replaceAll("'", "'\\''")}'`;
  return (
    `Weltoffen läuft bereits auf diesem Datenverzeichnis und nimmt Befehle der Kommandozeile nur vom Benutzer an, unter dem der Server läuft (${socketPath}). ` +
    `Rufen Sie den Befehl als dieser Benutzer auf und geben Sie DATA_DIR mit (sudo übernimmt die Umgebung nicht), zum Beispiel „sudo -u weltoffen env DATA_DIR=${quoted} weltoffen …“.`
  );
}

/** The running server ran the command instead of this process (thrown out of the command, caught by main). */
export class ServerIsRunning extends Error {
  readonly socket: Socket;
  constructor(socket: Socket) {
    super('server is running');
    this.socket = socket;
  }
}

/** Sends the command to the server and plays its output and requests here; resolves to its exit code. */
export function runThroughServer(socket: Socket, argv: string[], io: CliIo): Promise<number> {
  return new Promise<number>((resolve) => {
    let exitCode: number | undefined;
    const incoming = new Map<number, Buffer[]>();
    const send = (frame: ClientFrame) => {
      if (!socket.destroyed && socket.writable) socket.write(frameLine(frame));
    };
    const fail = (error: unknown, id: number) => {
      if (error instanceof UsageError) return send({ t: 'reply', id, ok: false, usage: error.message });
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string' && /^E[A-Z]{1,20}$/.test(code)) return send({ t: 'reply', id, ok: false, code });
      send({ t: 'reply', id, ok: false, message: (error as Error).message.slice(0, 4096) });
    };
    const handle = async (frame: ServerFrame) => {
      switch (frame.t) {
        case 'out':
          return io.stdout(frame.d);
        case 'err':
          return io.stderr(frame.d);
        case 'exit':
          exitCode = frame.code;
          return;
        case 'chunk': {
          const chunks = incoming.get(frame.id) ?? [];
          chunks.push(Buffer.from(frame.data, 'base64'));
          incoming.set(frame.id, chunks);
          return;
        }
        case 'write': {
          const data = Buffer.concat(incoming.get(frame.id) ?? []);
          incoming.delete(frame.id);
          await io.writeFile(frame.path, data).then(() => send({ t: 'reply', id: frame.id, ok: true }), (error: unknown) => fail(error, frame.id));
          return;
        }
        case 'read':
          try {
            const data = await io.readFile(frame.path);
            for (const chunk of base64Chunks(data)) {
              if (!socket.write(frameLine({ t: 'chunk', id: frame.id, data: chunk }))) await new Promise((drained) => socket.once('drain', drained));
            }
            send({ t: 'reply', id: frame.id, ok: true });
          } catch (error) {
            fail(error, frame.id);
          }
          return;
        case 'password':
          // Read here, where the terminal is; the password travels only over the socket, never into a log.
          await io.readPassword(frame.fromStdin).then((text) => send({ t: 'reply', id: frame.id, ok: true, text }), (error: unknown) => fail(error, frame.id));
          return;
      }
    };
    const reader = createLineReader(
      maxServerFrameBytes,
      (line) => {
        const frame = parseFrame(serverFrameSchema, line);
        if (!frame) {
          io.stderr('Der laufende Server hat eine ungültige Antwort geschickt. Passen Kommandozeile und Server zur selben Version von Weltoffen?\n');
          socket.destroy();
          return;
        }
        void handle(frame);
      },
      () => {
        io.stderr('Eine Antwort des laufenden Servers war zu lang.\n');
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (exitCode === undefined) {
        io.stderr('Die Verbindung zum laufenden Server brach ab, bevor der Befehl fertig war. Ob er ausgeführt wurde, zeigt das Protokoll des Servers.\n');
      }
      resolve(exitCode ?? 1);
    });
    send({ t: 'run', argv, cwd: process.cwd() });
  });
}
