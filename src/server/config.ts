import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LogFormat, LogLevel } from './logging.ts';

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'muss mit postgres:// oder postgresql:// beginnen')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PUBLIC_URL: z.url({ message: 'muss eine vollständige Adresse sein, z. B. https://weltoffen.example.de' }).optional(),
  AUTH_SECRET: z.string().min(32, 'muss mindestens 32 Zeichen lang sein').optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'muss mit smtp:// oder smtps:// beginnen')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('Weltoffen <weltoffen@localhost>'),
  // How often the server looks for due e-mails (reminders, notifications) to send.
  MAIL_INTERVAL_SECONDS: z.coerce.number('muss eine Zahl von Sekunden sein').int('muss eine ganze Zahl sein').min(1, 'mindestens 1').max(3600, 'höchstens 3600').default(30),
  // How many proxies in front of Weltoffen append to X-Forwarded-For: true is one, false none.
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .refine((value) => /^(true|false|[0-9])$/.test(value), 'muss false, true oder die Zahl der Proxys vor Weltoffen (0 bis 9) sein')
    .transform((value) => (value === 'true' ? 1 : value === 'false' ? 0 : Number(value))),
  CATALOG_DIR: z.string().min(1).optional(),
  // The log (docs/operations.md): how much, and JSON lines or readable text (text by default at a terminal).
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'muss fatal, error, warn, info, debug, trace oder silent sein').default('info'),
  LOG_FORMAT: z.preprocess((value) => (value === '' ? undefined : value), z.enum(['json', 'text'], 'muss json oder text sein').optional()),
  // Without it, /metrics answers only requests from this machine; with it, only „Authorization: Bearer <METRICS_TOKEN>“.
  METRICS_TOKEN: z.string().min(16, 'muss mindestens 16 Zeichen lang sein').max(500, 'höchstens 500 Zeichen').optional().or(z.literal('').transform(() => undefined)),
  // Belege (issue 18): the largest file and the space of one Kommune (every version counts), in MB.
  BELEGE_MAX_MB: z.coerce.number('muss eine Zahl von Megabytes sein').int('muss eine ganze Zahl sein').min(1, 'mindestens 1').max(2048, 'höchstens 2048').default(20),
  BELEGE_QUOTA_MB: z.coerce.number('muss eine Zahl von Megabytes sein').int('muss eine ganze Zahl sein').min(1, 'mindestens 1').max(1_048_576, 'höchstens 1048576').default(500),
  // Sign-in through the municipality's directory (OpenID Connect); docs/operations.md.
  OIDC_ISSUER: z
    .url({ message: 'muss eine vollständige Adresse sein, z. B. https://login.example.de/realms/rathaus' })
    .refine((value) => isAllowedIssuer(value), 'muss mit https:// beginnen (http:// nur für localhost), ohne ?… und #…')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(500, 'höchstens 500 Zeichen').optional().or(z.literal('').transform(() => undefined)),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000, 'höchstens 2000 Zeichen').optional().or(z.literal('').transform(() => undefined)),
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60, 'höchstens 60 Zeichen').optional().or(z.literal('').transform(() => undefined)),
  OIDC_ONLY: z
    .string()
    .trim()
    .default('false')
    .refine((value) => value === 'true' || value === 'false', 'muss true oder false sein')
    .transform((value) => value === 'true'),
});

/** https, or http for a provider on this machine (tests, trying it out); no query or fragment. */
function isAllowedIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.search || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

/** Sign-in through an OpenID Connect provider (the town hall's directory). */
export interface OidcConfig {
  /** Exactly as the provider's discovery document states it (no trailing slash added or removed). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Completes the button „Mit … anmelden“. */
  displayName: string;
  /** „nur SSO“: no password sign-in, reset or change. */
  isOnly: boolean;
}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl: string;
  authSecret?: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Seconds between two runs of the mail loop (services/email-loop.ts). */
  mailIntervalSeconds: number;
  /** Proxies in front of the app whose X-Forwarded-For entries are trusted; 0 reads the socket only. */
  trustProxy: number;
  catalogDir: string;
  webDir: string;
  logLevel: LogLevel;
  /** Unset: text when stdout is a terminal, JSON lines otherwise (logging.ts). */
  logFormat?: LogFormat;
  /** Bearer token for /metrics; without it only this machine may read them. */
  metricsToken?: string;
  /** Set when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are. */
  oidc?: OidcConfig;
  /** Belege: the largest file and the space per Kommune, in bytes (BELEGE_MAX_MB, BELEGE_QUOTA_MB). */
  evidenceLimits: { maxBytes: number; quotaBytes: number };
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The version in package.json: the start line and the API description say which release runs. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unbekannt';
  } catch {
    return 'unbekannt';
  }
}

/** Invalid configuration, with one German line per variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and checks the environment once at start; every variable is listed in the README. */
export function readConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  const result = environmentSchema.safeParse(environment);
  if (!result.success) {
    throw new ConfigError(
      'Die Konfiguration ist ungültig:\n' +
        result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n'),
    );
  }
  const values = result.data;
  const oidc = readOidc(values);
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir: path.resolve(values.DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    authSecret: values.AUTH_SECRET,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    mailIntervalSeconds: values.MAIL_INTERVAL_SECONDS,
    trustProxy: values.TRUST_PROXY,
    catalogDir: path.resolve(values.CATALOG_DIR ?? path.join(root, 'catalog')),
    webDir: path.join(root, 'dist', 'web'),
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT,
    metricsToken: values.METRICS_TOKEN,
    evidenceLimits: { maxBytes: values.BELEGE_MAX_MB * 1024 * 1024, quotaBytes: values.BELEGE_QUOTA_MB * 1024 * 1024 },
    ...(oidc ? { oidc } : {}),
  };
}

/** All or nothing: issuer, client id and secret together; the display name and OIDC_ONLY only with them. */
function readOidc(values: z.infer<typeof environmentSchema>): OidcConfig | undefined {
  const given = { OIDC_ISSUER: values.OIDC_ISSUER, OIDC_CLIENT_ID: values.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: values.OIDC_CLIENT_SECRET };
  const missing = Object.entries(given).filter(([, value]) => value === undefined).map(([name]) => name);
  if (missing.length === 3) {
    const stray = [values.OIDC_DISPLAY_NAME !== undefined ? 'OIDC_DISPLAY_NAME' : null, values.OIDC_ONLY ? 'OIDC_ONLY' : null].filter(Boolean);
    if (stray.length === 0) return undefined;
    throw new ConfigError(`Die Konfiguration ist ungültig:\n  ${stray.join(', ')}: wirkt nur zusammen mit OIDC_ISSUER, OIDC_CLIENT_ID und OIDC_CLIENT_SECRET`);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `Die Konfiguration ist ungültig:\n${missing.map((name) => `  ${name}: fehlt; die Anmeldung über den Verzeichnisdienst braucht OIDC_ISSUER, OIDC_CLIENT_ID und OIDC_CLIENT_SECRET zusammen`).join('\n')}`,
    );
  }
  return {
    issuer: values.OIDC_ISSUER!,
    clientId: values.OIDC_CLIENT_ID!,
    clientSecret: values.OIDC_CLIENT_SECRET!,
    displayName: values.OIDC_DISPLAY_NAME ?? 'Verwaltungskonto',
    isOnly: values.OIDC_ONLY,
  };
}
