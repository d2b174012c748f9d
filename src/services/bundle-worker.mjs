// Entry of the bundle worker (read-bundle-upload.ts). Workers start as plain Node threads: whatever
// loaded the parent (type stripping or tsx for the server, the CLI and the bench; vite for the tests)
// does not carry over, so the worker loads the TypeScript validation the same way bin/weltoffen.js does.
import { importTypeScript } from '../../bin/load-typescript.js';

await importTypeScript(new URL('./bundle-worker.ts', import.meta.url));
