// Entry of the bundle worker (read-bundle-upload.ts). Workers start as plain Node threads: whatever
// loaded the parent (tsx for the server, the CLI and the bench; vite for the tests) does not carry
// over, so the worker registers tsx itself before it imports the TypeScript validation.
import { register } from 'tsx/esm/api';

register();
await import('./bundle-worker.ts');
