import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabaseUrl } from './database.ts';

export const binPath = path.resolve(import.meta.dirname, '../../bin/weltoffen.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `weltoffen …` as a separate process, as an operator would. */
export function runCli(args: string[], env: Record<string, string>, stdin?: string, cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

export interface ServerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `weltoffen serve` in its own process. BENCH_CPU_PROFILE_DIR (a folder) makes it write a CPU
 * profile there when it stops, for finding where a benchmark's time goes (decisions 019, 021).
 */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : []), binPath, 'serve'], {
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Polls /api/health until it answers 200, or gives up after the deadline. */
export async function waitForHealth(port: number, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.status === 200) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** A data directory (or a fresh PostgreSQL database) with the demo loaded, for tests that start and kill real servers. */
export interface DemoInstallation {
  base: string;
  env: Record<string, string>;
  databaseUrl: string | undefined;
  /** The one-time password of the demo accounts. */
  password: string;
  /** Starts a server on it and waits until it answers; throws with the server's output if it does not. */
  start(): Promise<ServerProcess>;
  remove(): Promise<void>;
}

export async function prepareDemoInstallation(name: string, port: number): Promise<DemoInstallation> {
  const base = mkdtempSync(path.join(tmpdir(), `weltoffen-${name}-`));
  const database = await createTestDatabaseUrl();
  const env = { DATA_DIR: path.join(base, 'daten'), PORT: String(port), ...(database.url ? { DATABASE_URL: database.url } : {}) };
  const demo = await runCli(['demo'], env);
  const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(`Die Demo ließ sich nicht laden:\n${demo.stderr}`);
  return {
    base,
    env,
    databaseUrl: database.url,
    password,
    async start() {
      const started = startServerProcess(env);
      if (!(await waitForHealth(port, 90_000))) throw new Error(`Der Server startete nicht:\n${started.output()}`);
      return started;
    },
    async remove() {
      rmSync(base, { recursive: true, force: true });
      await database.drop();
    },
  };
}
