#!/usr/bin/env node
// Entry point of the `weltoffen` command. The code is TypeScript: Node 22.18+ and 24 run it as it is
// (type stripping), so a production install needs no build step for the server or the CLI and no
// compiler at start; see load-typescript.js for older Node versions.
import { importTypeScript, nodeStripsTypes, supportedNodeLines, UnsupportedNodeError } from './load-typescript.js';

if (!nodeStripsTypes && process.env.NODE_ENV === 'production') {
  console.error(
    `Hinweis: Node.js ${process.versions.node} wird nicht unterstützt; der Quelltext wird beim Start mit tsx übersetzt, ` +
      `was nur für die Entwicklung gedacht ist. Für den Betrieb: ${supportedNodeLines}.`,
  );
}

try {
  const { main } = await importTypeScript(new URL('../src/cli/main.ts', import.meta.url));
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UnsupportedNodeError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
