import { Suspense } from 'react';
import { BrowserRouter, matchPath, Navigate, Route, Routes } from 'react-router';
import { lazyPage, type LazyPage } from './lazy-page.tsx';
import { Layout } from './components/layout.tsx';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { RequireSession } from './components/require-session.tsx';

// One chunk per screen: no page carries another page's code.
const pages = {
  signIn: lazyPage(() => import('./pages/anmelden/page.tsx')),
  setup: lazyPage(() => import('./pages/einrichtung/page.tsx')),
  invitation: lazyPage(() => import('./pages/einladung/page.tsx')),
  forgottenPassword: lazyPage(() => import('./pages/passwort-vergessen/page.tsx')),
  newPassword: lazyPage(() => import('./pages/passwort-neu/page.tsx')),
  account: lazyPage(() => import('./pages/konto/page.tsx')),
  kommunen: lazyPage(() => import('./pages/kommunen/page.tsx')),
  kommuneForm: lazyPage(() => import('./pages/kommune-form/page.tsx')),
  kommune: lazyPage(() => import('./pages/kommune/page.tsx')),
  programme: lazyPage(() => import('./pages/programm/page.tsx')),
  catalog: lazyPage(() => import('./pages/katalog/page.tsx')),
  accessibility: lazyPage(() => import('./pages/barrierefreiheit/page.tsx')),
  legal: lazyPage(() => import('./pages/rechtstext/page.tsx')),
  siteTexts: lazyPage(() => import('./pages/texte/page.tsx')),
  programmeTexts: lazyPage(() => import('./pages/programmtexte/page.tsx')),
  surveyTexts: lazyPage(() => import('./pages/umfragetexte/page.tsx')),
  notFound: lazyPage(() => import('./pages/nicht-gefunden/page.tsx')),
  selbstcheck: lazyPage(() => import('./pages/selbstcheck/page.tsx')),
  round: lazyPage(() => import('./pages/runde/page.tsx')),
  answers: lazyPage(() => import('./pages/antworten/page.tsx')),
  consolidation: lazyPage(() => import('./pages/konsolidierung/page.tsx')),
  results: lazyPage(() => import('./pages/ergebnisse/page.tsx')),
  residentSurvey: lazyPage(() => import('./pages/umfrage/page.tsx')),
  changes: lazyPage(() => import('./pages/aenderungen/page.tsx')),
  profile: lazyPage(() => import('./pages/ausgangslage/page.tsx')),
  implementation: lazyPage(() => import('./pages/umsetzung/page.tsx')),
  workshops: lazyPage(() => import('./pages/workshops/page.tsx')),
  dialogues: lazyPage(() => import('./pages/dialog/page.tsx')),
  offers: lazyPage(() => import('./pages/angebote/page.tsx')),
  outlook: lazyPage(() => import('./pages/ausblick/page.tsx')),
  report: lazyPage(() => import('./pages/bericht/page.tsx')),
  evidence: lazyPage(() => import('./pages/belege/page.tsx')),
  emailLog: lazyPage(() => import('./pages/e-mail-protokoll/page.tsx')),
  overview: lazyPage(() => import('./pages/uebersicht/page.tsx')),
  comparison: lazyPage(() => import('./pages/vergleich/page.tsx')),
  live: lazyPage(() => import('./pages/live/page.tsx')),
  liveModeration: lazyPage(() => import('./pages/live-moderation/page.tsx')),
  liveProjection: lazyPage(() => import('./pages/live-projektion/page.tsx')),
};

/** Every screen: its path, its page, and whether it needs a signed-in person. */
const routes: { path: string; page: LazyPage; isSignedIn: boolean }[] = [
  { path: 'anmelden', page: pages.signIn, isSignedIn: false },
  { path: 'einrichtung/:token', page: pages.setup, isSignedIn: false },
  { path: 'einladung/:token', page: pages.invitation, isSignedIn: false },
  { path: 'passwort-vergessen', page: pages.forgottenPassword, isSignedIn: false },
  { path: 'passwort-neu', page: pages.newPassword, isSignedIn: false },
  { path: 'konto', page: pages.account, isSignedIn: true },
  { path: 'kommunen', page: pages.kommunen, isSignedIn: true },
  { path: 'kommunen/neu', page: pages.kommuneForm, isSignedIn: true },
  { path: 'kommunen/:slug', page: pages.kommune, isSignedIn: true },
  { path: 'kommunen/:slug/bearbeiten', page: pages.kommuneForm, isSignedIn: true },
  { path: 'kommunen/:slug/ausgangslage', page: pages.profile, isSignedIn: true },
  { path: 'kommunen/:slug/umsetzung', page: pages.implementation, isSignedIn: true },
  { path: 'kommunen/:slug/workshops', page: pages.workshops, isSignedIn: true },
  { path: 'kommunen/:slug/workshops/:workshopId/live', page: pages.liveModeration, isSignedIn: true },
  { path: 'kommunen/:slug/dialogveranstaltungen', page: pages.dialogues, isSignedIn: true },
  { path: 'kommunen/:slug/angebote', page: pages.offers, isSignedIn: true },
  { path: 'kommunen/:slug/ausblick', page: pages.outlook, isSignedIn: true },
  { path: 'kommunen/:slug/bericht', page: pages.report, isSignedIn: true },
  { path: 'kommunen/:slug/belege', page: pages.evidence, isSignedIn: true },
  { path: 'kommunen/:slug/e-mail-protokoll', page: pages.emailLog, isSignedIn: true },
  { path: 'kommunen/:slug/vergleich', page: pages.comparison, isSignedIn: true },
  { path: 'kommunen/:slug/selbstcheck', page: pages.selbstcheck, isSignedIn: true },
  { path: 'kommunen/:slug/selbstcheck/:number', page: pages.round, isSignedIn: true },
  { path: 'kommunen/:slug/selbstcheck/:number/handlungsfeld/:fieldKey', page: pages.answers, isSignedIn: true },
  { path: 'kommunen/:slug/selbstcheck/:number/konsolidierung', page: pages.consolidation, isSignedIn: true },
  { path: 'kommunen/:slug/selbstcheck/:number/ergebnisse', page: pages.results, isSignedIn: true },
  { path: 'kommunen/:slug/selbstcheck/:number/umfrage', page: pages.residentSurvey, isSignedIn: true },
  { path: 'kommunen/:slug/selbstcheck/:number/aenderungen', page: pages.changes, isSignedIn: true },
  { path: 'programm', page: pages.programme, isSignedIn: true },
  { path: 'uebersicht', page: pages.overview, isSignedIn: true },
  { path: 'katalog', page: pages.catalog, isSignedIn: true },
  { path: 'einstellungen/texte', page: pages.siteTexts, isSignedIn: true },
  { path: 'einstellungen/programmtexte', page: pages.programmeTexts, isSignedIn: true },
  { path: 'einstellungen/umfragetexte', page: pages.surveyTexts, isSignedIn: true },
  { path: 'live', page: pages.live, isSignedIn: false },
  { path: 'live/:code', page: pages.live, isSignedIn: false },
  { path: 'barrierefreiheit', page: pages.accessibility, isSignedIn: false },
  { path: 'impressum', page: pages.legal, isSignedIn: false },
  { path: 'datenschutz', page: pages.legal, isSignedIn: false },
];

/** The live session's projection, opened by the Moderation in a tab of its own. */
const projectionPath = 'kommunen/:slug/live/:id/projektor';

/** The app's routes; declarative mode keeps React Router's data-loading code out of the bundle. */
export function AppRoutes() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/kommunen" replace />} />
          {routes.map(({ path, page: Page, isSignedIn }) => (
            <Route
              key={path}
              path={path}
              element={
                isSignedIn ? (
                  <RequireSession>
                    <Page />
                  </RequireSession>
                ) : (
                  <Page />
                )
              }
            />
          ))}
          <Route path="*" element={<pages.notFound />} />
        </Route>
        {/* The projection fills the screen: no header, navigation or footer. */}
        <Route
          path={projectionPath}
          element={
            <RequireSession>
              <ErrorBoundary resetKey={projectionPath}>
                <Suspense fallback={null}>
                  <pages.liveProjection />
                </Suspense>
              </ErrorBoundary>
            </RequireSession>
          }
        />
      </Routes>
    </BrowserRouter>
  );
}

/** Loads the page of the given URL path (before the first render) and then, when idle, all others. */
export async function preloadPages(pathname: string): Promise<void> {
  const current = matchPath(`/${projectionPath}`, pathname) ? pages.liveProjection : (routes.find((route) => matchPath(`/${route.path}`, pathname))?.page ?? pages.notFound);
  await current.preload().catch(() => {});
  const rest = () => Object.values(pages).forEach((page) => void page.preload().catch(() => {}));
  // Two seconds later, when idle: never in the way of the current page's own requests.
  setTimeout(() => ('requestIdleCallback' in window ? window.requestIdleCallback(rest) : rest()), 2000);
}
