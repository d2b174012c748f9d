import { chmod, readFile, writeFile } from 'node:fs/promises';

/**
 * What a command reads and writes besides the database. On the operator's machine it is this
 * process; through the running server (command-server.ts) every call travels back to the CLI
 * process, so files and the terminal stay those of the operator's user and working directory.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The password: the first line of standard input, or typed twice at a hidden prompt. */
  readPassword(fromStdin: boolean): Promise<string>;
  /** A file of the operator; a failure carries the system's error code (ENOENT, EACCES, …). */
  readFile(file: string): Promise<Buffer>;
  writeFile(file: string, data: string | Uint8Array): Promise<void>;
}

/** A wrong call of the command: message to stderr, exit code 2. */
export class UsageError extends Error {}

/** A failure the operator can act on, said in German: message to stderr, exit code 1. */
export class CliError extends Error {}

/** The largest file a command reads (V8 cannot hold a longer string, so JSON.parse fails above it anyway). */
export const maxInputFileBytes = 512 * 1024 * 1024;

/**
 * Asks the questions one after the other at the terminal without showing what is typed: the terminal
 * is put in raw mode and nothing is echoed (readline's own echo cannot be switched off reliably).
 */
function askHidden(questions: string[]): Promise<string[]> {
  const input = process.stdin;
  const answers: string[] = [];
  let current = '';
  return new Promise((resolve, reject) => {
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\u0003' || character === '\u0004') {
          // Ctrl-C, Ctrl-D: raw mode sends no signal, so stop here.
          finish();
          process.stdout.write('\n');
          reject(new UsageError('Abgebrochen: Es wurde kein Passwort eingegeben.'));
          return;
        }
        if (character === '\r' || character === '\n') {
          process.stdout.write('\n');
          answers.push(current);
          current = '';
          if (answers.length === questions.length) {
            finish();
            resolve(answers);
            return;
          }
          process.stdout.write(questions[answers.length]!);
        } else if (character === '\u007f' || character === '\b') {
          current = Array.from(current).slice(0, -1).join('');
        } else if (character >= ' ') {
          current += character;
        }
      }
    };
    process.stdout.write(questions[0]!);
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

async function promptPassword(): Promise<string> {
  const [first, second] = await askHidden(['Passwort (mindestens 12 Zeichen): ', 'Passwort wiederholen: ']);
  if (first !== second) throw new UsageError('Die beiden Passwörter stimmen nicht überein.');
  return first!;
}

async function readPasswordHere(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    return input.split(/\r?\n/)[0] ?? '';
  }
  return promptPassword();
}

/** Read and write permission only for the owner (reports, exports and questionnaires hold personal data). */
export const outputFileMode = 0o600;

/**
 * Writes a file that only its owner may read: a new file is created with mode 0600, an existing one
 * is set to 0600 as well (when this user may change its mode; otherwise it keeps the mode it had).
 */
export async function writeOwnerOnly(file: string, data: string | Uint8Array): Promise<void> {
  await writeFile(file, data, { mode: outputFileMode });
  await chmod(file, outputFileMode).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPERM') throw error;
  });
}

/**
 * This process's terminal and files. The password is asked once: should the command be handed to
 * the running server after it was typed (the server started meanwhile), the same answer is sent.
 */
export function createProcessIo(): CliIo {
  let password: Promise<string> | undefined;
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readPassword: (fromStdin) => (password ??= readPasswordHere(fromStdin)),
    async readFile(file) {
      const data = await readFile(file);
      if (data.length > maxInputFileBytes) throw Object.assign(new Error('EFBIG'), { code: 'EFBIG' });
      return data;
    },
    writeFile: (file, data) => writeOwnerOnly(file, data),
  };
}
