#!/usr/bin/env node
// `npm start`: serves Weltoffen, building the web app first only when it can and must. A developer's
// checkout (`npm ci && npm start`) builds when dist/web is missing or older than its sources; an
// operator's install (`npm run build`, `npm prune --omit=dev`) has no vite and serves the build it has.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { importTypeScript, nodeStripsTypes, supportedNodeLines, UnsupportedNodeError } from './load-typescript.js';

const root = path.resolve(import.meta.dirname, '..');
const builtPage = path.join(root, 'dist/web/index.html');
/** What the web build is made of: its own sources, the domain code it imports, its configuration. */
const buildInputs = ['src/web', 'src/domain', 'vite.config.ts', 'package-lock.json'].map((entry) => path.join(root, entry));

function newestChange(entry) {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** The command line of vite's build, or null where vite is not installed (production dependencies only). */
function viteCommand() {
  try {
    const manifest = createRequire(import.meta.url).resolve('vite/package.json');
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
    return path.resolve(path.dirname(manifest), typeof bin === 'string' ? bin : bin.vite);
  } catch {
    return null;
  }
}

function webBuildState() {
  if (!existsSync(builtPage)) return 'missing';
  return Math.max(...buildInputs.map(newestChange)) > statSync(builtPage).mtimeMs ? 'stale' : 'current';
}

// The server code first: a Node that can run it neither by itself nor with tsx stops here, before a build.
let main;
try {
  ({ main } = await importTypeScript(new URL('../src/cli/main.ts', import.meta.url)));
} catch (error) {
  if (!(error instanceof UnsupportedNodeError)) throw error;
  console.error(error.message);
  process.exit(1);
}
if (!nodeStripsTypes) {
  console.error(
    `Hinweis: Node.js ${process.versions.node} wird nicht unterstützt; tsx übersetzt den Quelltext beim Start ` +
      `(nur für die Entwicklung gedacht). Für den Betrieb: ${supportedNodeLines}.`,
  );
}

const state = webBuildState();
if (state !== 'current') {
  const vite = viteCommand();
  if (vite) {
    console.log(state === 'missing' ? 'Die Web-App wird gebaut …' : 'Die Web-App wird neu gebaut (ihr Quelltext hat sich geändert) …');
    const build = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      console.error('Der Bau der Web-App ist fehlgeschlagen (siehe oben); der Server wird nicht gestartet.');
      process.exit(build.status ?? 1);
    }
  } else if (state === 'missing') {
    console.error(
      'Die Web-App ist nicht gebaut (dist/web fehlt), und vite ist nicht installiert (Installation nur mit ' +
        'Produktionsabhängigkeiten). Bauen Sie die Web-App, bevor Sie die Entwicklungsabhängigkeiten entfernen: ' +
        '„npm ci“, dann „npm run build“, dann „npm prune“ (docs/operations.md, „Installation für den Betrieb“).',
    );
    process.exit(1);
  } else {
    console.error('Hinweis: Die Web-App (dist/web) ist älter als ihr Quelltext; ohne vite wird die vorhandene Fassung ausgeliefert.');
  }
}

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
