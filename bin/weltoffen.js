#!/usr/bin/env node
// Entry point of the `weltoffen` command. The code is TypeScript; tsx compiles it on load so that
// operators need no build step for the server or the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
