#!/usr/bin/env node
// `npm run bench`: runs the benchmarks in bench/ and prints one JSON document.
import { importTypeScript } from './load-typescript.js';

const { runBenchmarks } = await importTypeScript(new URL('../bench/run.ts', import.meta.url));
process.exitCode = await runBenchmarks(process.argv.slice(2));
