import type { ComponentType } from 'react';

export interface LazyPage {
  (): React.JSX.Element;
  preload(): Promise<void>;
}

/**
 * A page loaded on demand, like React.lazy, but it can be loaded ahead: once loaded it renders at
 * once instead of suspending. React 19 holds a suspended tree back for up to 300 ms, so main.tsx
 * loads the current route's page before the first render and the others while the browser is idle.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let Loaded: ComponentType | null = null;
  let pending: Promise<void> | null = null;
  let failure: unknown = null;
  const preload = () =>
    (pending ??= load().then(
      (module) => {
        Loaded = module.default;
      },
      (error: unknown) => {
        // A failed download (e.g. the connection dropped) is tried again on the next render.
        failure = error;
        pending = null;
      },
    ));
  const Page = () => {
    if (Loaded) return <Loaded />;
    if (failure) {
      const error = failure;
      failure = null;
      throw error;
    }
    throw preload();
  };
  Page.preload = preload;
  return Page;
}
