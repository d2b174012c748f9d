// How the entry points (bin/*.js and the worker threads' *.mjs) load Weltoffen's TypeScript sources.
// The supported Node lines strip types themselves (process.features.typescript), so a production
// install runs the .ts files as they are, with production dependencies only and nothing compiled at
// start. Older Node versions (20, which the project no longer supports) strip nothing: there tsx, a
// development dependency, compiles on load when it is installed, so a developer's `npm ci && npm start`
// still works on them.

/** The Node lines Weltoffen supports, as the messages name them (package.json `engines`). */
export const supportedNodeLines = 'Node.js 22 (ab 22.18) oder Node.js 24 (ab 24.3)';

/** Whether this Node runs TypeScript itself (type stripping, on by default from 22.18 and 24). */
export const nodeStripsTypes = Boolean(process.features.typescript);

/** A Node that can run Weltoffen neither by itself nor with tsx; the message is for the operator. */
export class UnsupportedNodeError extends Error {
  constructor() {
    super(
      `Weltoffen benötigt ${supportedNodeLines}. Diese Version (Node.js ${process.versions.node}) kann TypeScript ` +
        'nicht selbst ausführen, und tsx (nur in einer Entwicklungsinstallation vorhanden) ist nicht installiert. ' +
        `Bitte installieren Sie ${supportedNodeLines}.`,
    );
    this.name = 'UnsupportedNodeError';
  }
}

let tsxRegistered = false;

async function registerTsx() {
  if (tsxRegistered) return;
  let api;
  try {
    api = await import('tsx/esm/api');
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') throw new UnsupportedNodeError();
    throw error;
  }
  api.register();
  tsxRegistered = true;
}

/** Imports a TypeScript module (a URL) by Node's type stripping, or through tsx where Node cannot. */
export async function importTypeScript(url) {
  if (!nodeStripsTypes) await registerTsx();
  return import(url);
}
