import { afterEach, beforeEach, vi } from 'vitest';

// An unexpected console.error fails the test that caused it (ENGINEERING.md, Tests).
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (errors.length > 0) {
    throw new Error(`Unerwartete console.error-Ausgabe:\n${errors.map((args) => args.map(String).join(' ')).join('\n')}`);
  }
});

/** For tests that expect console.error output: takes it out of the check and returns it. */
export function takeConsoleErrors(): unknown[][] {
  const taken = errors;
  errors = [];
  return taken;
}
