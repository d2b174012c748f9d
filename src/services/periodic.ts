import type { ServiceContext } from './context.ts';

/**
 * Runs `work` 30 seconds after start and then every `intervalMs` (the server's timers for the
 * retention sweeps; stop() ends them). A failure is logged by its error's name only (no data).
 */
export function startPeriodic(context: ServiceContext, failure: string, work: () => Promise<unknown>, intervalMs: number): { stop(): void } {
  const run = () => void work().catch((error: unknown) => context.log(`${failure}: ${(error as Error).name}`, 'warn'));
  const first = setTimeout(run, 30_000);
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
