import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectToServer, runThroughServer, wrongUserMessage } from './command-client.ts';
import { commandSocketPath, maxClientFrameBytes } from './command-protocol.ts';
import { listenForCommands, type CommandListener, type RunCommand } from './command-server.ts';
import { UsageError, type CliIo } from './io.ts';

let base: string;
let socketPath: string;
let listener: CommandListener | undefined;
const logs: string[] = [];

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), 'weltoffen-socket-'));
  socketPath = commandSocketPath(base);
  logs.length = 0;
});
afterEach(async () => {
  await listener?.close();
  listener = undefined;
  rmSync(base, { recursive: true, force: true });
});

async function listen(run: RunCommand): Promise<CommandListener> {
  listener = await listenForCommands(socketPath, run, (message) => logs.push(message));
  if (!listener) throw new Error(logs.join('\n'));
  return listener;
}

/** What a CLI process would see: its output and its files, kept in memory; files relative to `cwd`. */
function memoryIo(options: { password?: string; passwordError?: Error; files?: Record<string, Buffer> } = {}) {
  const output = { stdout: '', stderr: '', written: new Map<string, Buffer>(), passwordAsks: [] as boolean[] };
  const io: CliIo = {
    stdout: (text) => void (output.stdout += text),
    stderr: (text) => void (output.stderr += text),
    async readPassword(fromStdin) {
      output.passwordAsks.push(fromStdin);
      if (options.passwordError) throw options.passwordError;
      return options.password ?? '';
    },
    async readFile(file) {
      const data = options.files?.[file];
      if (!data) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return data;
    },
    async writeFile(file, data) {
      if (file.startsWith('/gesperrt/')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      output.written.set(file, Buffer.from(data));
    },
  };
  return { io, output };
}

async function runVia(argv: string[], io: CliIo): Promise<number> {
  const socket = await connectToServer(socketPath, base);
  if (!socket) throw new Error('no server');
  return runThroughServer(socket, argv, io);
}

/** Sends raw lines and collects the server's frames until it closes the connection. */
function rawExchange(lines: string[]): Promise<{ t: string; d?: string; code?: number }[]> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(socketPath);
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(text.split('\n').filter(Boolean).map((line) => JSON.parse(line))));
    socket.on('connect', () => {
      for (const line of lines) socket.write(line);
    });
  });
}

describe('command socket between the CLI and the running server', () => {
  it('streams stdout, stderr and the exit code of the command the CLI sent, in order', async () => {
    await listen(async (argv, io) => {
      io.stdout(`argv: ${argv.join(' ')}\n`);
      io.stderr('Hinweis auf stderr\n');
      io.stdout('Umlaute: äöü ß „“\n');
      return 3;
    });
    const { io, output } = memoryIo();
    expect(await runVia(['export', 'musterstadt'], io)).toBe(3);
    expect(output.stdout).toBe('argv: export musterstadt\nUmlaute: äöü ß „“\n');
    expect(output.stderr).toBe('Hinweis auf stderr\n');
  });

  it('the socket is created with mode 0600 and owned by the server user; another user cannot connect', async () => {
    await listen(async () => 0);
    const stat = statSync(socketPath);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(stat.uid).toBe(process.getuid!());
    if (process.getuid!() === 0) {
      // As root (CI) the check runs for real: a process of the user nobody, with the directories open to it, is refused by the file mode.
      chmodSync(base, 0o755);
      // CI runs a Node.js under /root, which nobody may not execute: take the first one that user can run.
      const node = [process.execPath, '/usr/bin/node', '/usr/local/bin/node'].find(
        (candidate) => spawnSync('/usr/bin/test', ['-x', candidate], { uid: 65534, gid: 65534 }).status === 0,
      );
      expect(node, 'kein Node.js, das der Benutzer nobody ausführen darf').toBeDefined();
      const probe = spawnSync(node!, ['-e', `require('node:net').connect(${JSON.stringify(socketPath)}).on('connect', () => { console.log('verbunden'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`], { uid: 65534, gid: 65534, encoding: 'utf8' });
      expect(probe.error).toBeUndefined();
      expect(probe.stdout.trim(), probe.stderr).toBe('EACCES');
    }
  });

  it('the message for another user suggests sudo with DATA_DIR passed again (sudo drops the environment), quoted for the shell when needed', () => {
    expect(wrongUserMessage('/var/lib/weltoffen/weltoffen.sock', '/var/lib/weltoffen')).toContain('„sudo -u weltoffen env DATA_DIR=/var/lib/weltoffen weltoffen …“');
    expect(wrongUserMessage('/srv/mein weltoffen/weltoffen.sock', '/srv/mein weltoffen')).toContain("env DATA_DIR='/srv/mein weltoffen' weltoffen …");
  });

  it('a larger output file travels in chunks and is written by the CLI; a file the CLI cannot write fails with its error code', async () => {
    const big = Buffer.alloc(2.5 * 1024 * 1024 + 17);
    for (let index = 0; index < big.length; index++) big[index] = (index * 31) % 251;
    await listen(async (_argv, io) => {
      await io.writeFile('bericht.pdf', big);
      try {
        await io.writeFile('/gesperrt/bericht.pdf', big);
      } catch (error) {
        io.stderr(`${(error as NodeJS.ErrnoException).code}\n`);
      }
      return 0;
    });
    const { io, output } = memoryIo();
    expect(await runVia(['report'], io)).toBe(0);
    expect(output.written.get('bericht.pdf')!.equals(big)).toBe(true);
    expect(output.stderr).toBe('EACCES\n');
  });

  it('an input file is read by the CLI and arrives whole; a missing one fails with ENOENT', async () => {
    const bundle = Buffer.from(JSON.stringify({ text: 'ä'.repeat(1_500_000) }));
    await listen(async (_argv, io) => {
      const data = await io.readFile('paket.json');
      io.stdout(`${data.length} ${data.equals(bundle)}\n`);
      await io.readFile('fehlt.json').catch((error: NodeJS.ErrnoException) => io.stdout(`${error.code}\n`));
      return 0;
    });
    const { io, output } = memoryIo({ files: { 'paket.json': bundle } });
    expect(await runVia(['import', 'paket.json'], io)).toBe(0);
    expect(output.stdout).toBe(`${bundle.length} true\nENOENT\n`);
  });

  it('the password is asked in the CLI (from stdin or the prompt) and its UsageError comes back as one', async () => {
    await listen(async (_argv, io) => {
      try {
        io.stdout(`Länge ${(await io.readPassword(true)).length}\n`);
        return 0;
      } catch (error) {
        io.stderr(`${error instanceof UsageError ? 'UsageError' : 'anderer Fehler'}: ${(error as Error).message}\n`);
        return 2;
      }
    });
    const typed = memoryIo({ password: 'ein-langes-sicheres-Passwort' });
    expect(await runVia(['admin', 'create'], typed.io)).toBe(0);
    expect(typed.output.stdout).toBe('Länge 28\n');
    expect(typed.output.passwordAsks).toEqual([true]);
    const mismatch = memoryIo({ passwordError: new UsageError('Die beiden Passwörter stimmen nicht überein.') });
    expect(await runVia(['admin', 'create'], mismatch.io)).toBe(2);
    expect(mismatch.output.stderr).toBe('UsageError: Die beiden Passwörter stimmen nicht überein.\n');
  });

  it('a bad frame gets a German message and exit code 2, and the server keeps serving', async () => {
    let runs = 0;
    await listen(async (_argv, io) => {
      runs++;
      io.stdout('ok\n');
      return 0;
    });
    for (const line of ['kein json\n', '{"t":"run"}\n', '{"t":"reply","id":7,"ok":true}\n', '{"t":"run","argv":[1],"cwd":"/"}\n']) {
      const frames = await rawExchange([line]);
      expect(frames.at(-1)).toEqual({ t: 'exit', code: 2 });
      expect(frames.find((frame) => frame.t === 'err')?.d).toMatch(/^Der Server hat (eine ungültige Nachricht|eine Antwort erhalten, nach der er nicht gefragt hat)/);
    }
    const tooLong = await rawExchange(['{"t":"run","argv":["', 'x'.repeat(maxClientFrameBytes + 10)]);
    expect(tooLong.find((frame) => frame.t === 'err')?.d).toContain('zu lang');
    const twice = await rawExchange(['{"t":"run","argv":["a"],"cwd":"/"}\n{"t":"run","argv":["b"],"cwd":"/"}\n']);
    expect(twice.find((frame) => frame.t === 'err')?.d).toContain('nur ein Befehl');
    expect(runs).toBe(1);
    const { io, output } = memoryIo();
    expect(await runVia(['results'], io)).toBe(0);
    expect(output.stdout).toBe('ok\n');
  });

  it('a CLI that goes away while the server waits for it fails the request; the server runs on', async () => {
    let failure = '';
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    await listen(async (_argv, io) => {
      try {
        await io.readFile('paket.json');
      } catch (error) {
        failure = (error as Error).message;
      }
      finished();
      return 1;
    });
    const hanging = connect(socketPath);
    await new Promise((resolve) => hanging.on('connect', resolve));
    hanging.write('{"t":"run","argv":["import","paket.json"],"cwd":"/"}\n');
    hanging.destroy();
    await done;
    expect(failure).toBe('Die Verbindung zur Kommandozeile wurde unterbrochen.');
    const { io } = memoryIo({ files: { 'paket.json': Buffer.from('{}') } });
    expect(await runVia(['import', 'paket.json'], io)).toBe(1);
  });

  it('a socket left by a killed server is removed at start and counts as no server; close waits for a running command and removes the socket', async () => {
    // A socket file nobody listens on, as a server killed with SIGKILL leaves it.
    const killed = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('bereit'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => killed.stdout.once('data', resolve));
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(statSync(socketPath).isSocket()).toBe(true);
    expect(await connectToServer(socketPath, base)).toBeNull();

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started = await listen(async (_argv, io) => {
      await released;
      io.stdout('fertig\n');
      return 0;
    });
    const { io, output } = memoryIo();
    const running = runVia(['export'], io);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = started.close();
    release();
    await closed;
    expect(await running).toBe(0);
    expect(output.stdout).toBe('fertig\n');
    expect(existsSync(socketPath)).toBe(false);
    expect(await connectToServer(socketPath, base)).toBeNull();
  });

  it('something else than a socket at the socket path is left alone: the server runs without the socket and says so', async () => {
    writeFileSync(socketPath, 'keine Socket-Datei');
    expect(await listenForCommands(socketPath, async () => 0, (message) => logs.push(message))).toBeUndefined();
    expect(readFileSync(socketPath, 'utf8')).toBe('keine Socket-Datei');
    expect(logs.join('\n')).toMatch(/Befehle der Kommandozeile sind während des Betriebs nicht möglich/);
  });
});
