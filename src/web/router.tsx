import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
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

/** The app's routes; declarative mode keeps React Router's data-loading code out of the bundle. */
export function AppRoutes() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/kommunen" replace />} />
          <Route path="anmelden" element={<pages.signIn />} />
          <Route path="einrichtung/:token" element={<pages.setup />} />
          <Route path="einladung/:token" element={<pages.invitation />} />
          <Route path="kommunen" element={signedIn(pages.kommunen)} />
          <Route path="kommunen/neu" element={signedIn(pages.kommuneForm)} />
          <Route path="kommunen/:slug" element={signedIn(pages.kommune)} />
          <Route path="kommunen/:slug/bearbeiten" element={signedIn(pages.kommuneForm)} />
          <Route path="kommunen/:slug/selbstcheck" element={signedIn(pages.selbstcheck)} />
          <Route path="kommunen/:slug/selbstcheck/:number" element={signedIn(pages.round)} />
          <Route path="kommunen/:slug/selbstcheck/:number/handlungsfeld/:fieldKey" element={signedIn(pages.answers)} />
          <Route path="kommunen/:slug/selbstcheck/:number/konsolidierung" element={signedIn(pages.consolidation)} />
          <Route path="kommunen/:slug/selbstcheck/:number/ergebnisse" element={signedIn(pages.results)} />
          <Route path="kommunen/:slug/selbstcheck/:number/aenderungen" element={signedIn(pages.changes)} />
          <Route path="programm" element={signedIn(pages.programme)} />
          <Route path="katalog" element={signedIn(pages.catalog)} />
          <Route path="einstellungen/texte" element={signedIn(pages.siteTexts)} />
          <Route path="barrierefreiheit" element={<pages.accessibility />} />
          <Route path="impressum" element={<pages.legal />} />
          <Route path="datenschutz" element={<pages.legal />} />
          <Route path="*" element={<pages.notFound />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
