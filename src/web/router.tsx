import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from './components/layout.tsx';
import { RequireSession } from './components/require-session.tsx';

// One chunk per screen: no page carries another page's code.
const pages = {
  signIn: lazy(() => import('./pages/anmelden/page.tsx')),
  setup: lazy(() => import('./pages/einrichtung/page.tsx')),
  invitation: lazy(() => import('./pages/einladung/page.tsx')),
  kommunen: lazy(() => import('./pages/kommunen/page.tsx')),
  kommuneForm: lazy(() => import('./pages/kommune-form/page.tsx')),
  kommune: lazy(() => import('./pages/kommune/page.tsx')),
  programme: lazy(() => import('./pages/programm/page.tsx')),
  catalog: lazy(() => import('./pages/katalog/page.tsx')),
  accessibility: lazy(() => import('./pages/barrierefreiheit/page.tsx')),
  legal: lazy(() => import('./pages/rechtstext/page.tsx')),
  siteTexts: lazy(() => import('./pages/texte/page.tsx')),
  notFound: lazy(() => import('./pages/nicht-gefunden/page.tsx')),
  selbstcheck: lazy(() => import('./pages/selbstcheck/page.tsx')),
  round: lazy(() => import('./pages/runde/page.tsx')),
  answers: lazy(() => import('./pages/antworten/page.tsx')),
  consolidation: lazy(() => import('./pages/konsolidierung/page.tsx')),
  results: lazy(() => import('./pages/ergebnisse/page.tsx')),
  changes: lazy(() => import('./pages/aenderungen/page.tsx')),
};

function signedIn(Page: LazyExoticComponent<ComponentType>) {
  return (
    <RequireSession>
      <Page />
    </RequireSession>
  );
}

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/kommunen" replace /> },
      { path: 'anmelden', element: <pages.signIn /> },
      { path: 'einrichtung/:token', element: <pages.setup /> },
      { path: 'einladung/:token', element: <pages.invitation /> },
      { path: 'kommunen', element: signedIn(pages.kommunen) },
      { path: 'kommunen/neu', element: signedIn(pages.kommuneForm) },
      { path: 'kommunen/:slug', element: signedIn(pages.kommune) },
      { path: 'kommunen/:slug/bearbeiten', element: signedIn(pages.kommuneForm) },
      { path: 'kommunen/:slug/selbstcheck', element: signedIn(pages.selbstcheck) },
      { path: 'kommunen/:slug/selbstcheck/:number', element: signedIn(pages.round) },
      { path: 'kommunen/:slug/selbstcheck/:number/handlungsfeld/:fieldKey', element: signedIn(pages.answers) },
      { path: 'kommunen/:slug/selbstcheck/:number/konsolidierung', element: signedIn(pages.consolidation) },
      { path: 'kommunen/:slug/selbstcheck/:number/ergebnisse', element: signedIn(pages.results) },
      { path: 'kommunen/:slug/selbstcheck/:number/aenderungen', element: signedIn(pages.changes) },
      { path: 'programm', element: signedIn(pages.programme) },
      { path: 'katalog', element: signedIn(pages.catalog) },
      { path: 'einstellungen/texte', element: signedIn(pages.siteTexts) },
      { path: 'barrierefreiheit', element: <pages.accessibility /> },
      { path: 'impressum', element: <pages.legal /> },
      { path: 'datenschutz', element: <pages.legal /> },
      { path: '*', element: <pages.notFound /> },
    ],
  },
]);
