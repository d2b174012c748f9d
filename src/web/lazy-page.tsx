import type { ComponentType } from 'react';
import { useLocation } from 'react-router';

export interface LazyPage {
  (): React.JSX.Element;
  preload(): Promise<void>;
}

/**
 * A page loaded on demand, like React.lazy, but it can be loaded ahead: once loaded it renders at
 * once instead of suspending. React 19 holds a suspended tree back for up to 300 ms, so main.tsx
 * loads the current route's page before the first render and the others while the browser is idle.
 *
 * A failed download is tried once more when the page is rendered, and again after every navigation
 * (links, Back and Forward: each gives a new location object), never again within the same one: React
 * renders a tree that threw once more at once, and a page that started a fresh download there would
 * suspend instead of failing, so the error boundary's message would wait for a race between downloads
 * and React's retries.
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let Loaded: ComponentType | null = null;
  let pending: Promise<void> | null = null;
  // The last failed download and the navigation (location object) that asked for it; null: loaded ahead.
  let failure: { error: unknown; navigation: object | null } | null = null;
  const download = (navigation: object | null) =>
    (pending ??= load().then(
      (module) => {
        Loaded = module.default;
      },
      (error: unknown) => {
        failure = { error, navigation };
        pending = null;
      },
    ));
  // One component in both states, so a page never remounts when its download completes. Reading the
  // location re-renders it on every navigation, as the pages that read the location do anyway.
  const Page = () => {
    const navigation = useLocation();
    if (Loaded) return <Loaded />;
    if (failure?.navigation === navigation) throw failure.error;
    throw download(navigation);
  };
  Page.preload = () => download(null);
  return Page;
}
