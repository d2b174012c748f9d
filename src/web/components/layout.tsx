import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorBoundary } from './error-boundary.tsx';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { LegalTextsNotice } from './legal-texts-notice.tsx';
import { Loading } from './page.tsx';

/** Header with navigation by role, main area, footer with the legal pages. */
export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const signOut = useMutation({
    mutationFn: () => api<{ providerLogoutUrl?: string }>('DELETE', '/api/session'),
    onSettled: async (result) => {
      queryClient.clear();
      // Signed in through the town hall's directory: sign out there too (it returns to /anmelden).
      if (result?.providerLogoutUrl) window.location.assign(result.providerLogoutUrl);
      else await navigate('/anmelden');
    },
  });
  const info = session.data;
  return (
    <>
      <a className="skip-link" href="#inhalt">
        {t('layout.skipToContent')}
      </a>
      <header className="app-header">
        <div className="kern-container app-header__bar">
          <Link to="/" className="app-brand">
            <span className="app-brand__name">{t('app.name')}</span>
            <span className="app-brand__claim">{t('app.claim')}</span>
          </Link>
          {info ? (
            <div className="app-user">
              <span className="kern-body kern-body--small">
                {t('layout.signedInAs', { name: info.user.name })}
              </span>
              <Link to="/konto" className="kern-link kern-body kern-body--small">
                {t('layout.account')}
              </Link>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                onClick={() => signOut.mutate()}
              >
                <span className="kern-icon kern-icon--logout" aria-hidden="true" />
                <span className="kern-label">{t('layout.signOut')}</span>
              </button>
            </div>
          ) : null}
        </div>
        {info ? (
          <nav aria-label={t('layout.mainNavigation')} className="app-nav">
            <ul className="kern-container app-nav__list">
              <li>
                <NavLink to="/kommunen">{t('nav.kommunen')}</NavLink>
              </li>
              <li>
                <NavLink to="/katalog">{t('nav.catalog')}</NavLink>
              </li>
              {info.permissions['programme.manage'] ? (
                <li>
                  <NavLink to="/uebersicht">{t('nav.overview')}</NavLink>
                </li>
              ) : null}
              {info.permissions['programme.manage'] ? (
                <li>
                  <NavLink to="/programm">{t('nav.programme')}</NavLink>
                </li>
              ) : null}
              {info.permissions['site.edit'] ? (
                <li>
                  <NavLink to="/einstellungen/texte">{t('nav.siteTexts')}</NavLink>
                </li>
              ) : null}
              {info.permissions['site.edit'] ? (
                <li>
                  <NavLink to="/einstellungen/programmtexte">{t('nav.programmeTexts')}</NavLink>
                </li>
              ) : null}
              {info.permissions['programme.manage'] ? (
                <li>
                  <NavLink to="/einstellungen/umfragetexte">{t('nav.surveyTexts')}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="inhalt" className="kern-container app-main" tabIndex={-1}>
        {info?.permissions['site.edit'] ? <LegalTextsNotice /> : null}
        <ErrorBoundary resetKey={location.key}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
      <footer className="app-footer">
        <div className="kern-container">
          <nav aria-label={t('layout.footerNavigation')}>
            <ul className="app-footer__list">
              <li>
                <Link to="/barrierefreiheit">{t('nav.accessibility')}</Link>
              </li>
              <li>
                <Link to="/impressum">{t('nav.impressum')}</Link>
              </li>
              <li>
                <Link to="/datenschutz">{t('nav.privacy')}</Link>
              </li>
            </ul>
          </nav>
        </div>
      </footer>
    </>
  );
}
