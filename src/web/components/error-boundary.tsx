import { Component, type ReactNode } from 'react';
import i18next from '../i18n/index.ts';

/** Shows a German message instead of a blank page when a screen fails to load or render. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { hasFailed: boolean }> {
  override state = { hasFailed: false };

  static getDerivedStateFromError(): { hasFailed: boolean } {
    return { hasFailed: true };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    // Every navigation (also to the same address again) gives the screen a fresh chance.
    if (previous.resetKey !== this.props.resetKey && this.state.hasFailed) this.setState({ hasFailed: false });
  }

  override render() {
    if (!this.state.hasFailed) return this.props.children;
    return (
      <div className="kern-alert kern-alert--danger" role="alert">
        <div className="kern-alert__header">
          <span className="kern-title">{i18next.t('errors.pageFailed')}</span>
        </div>
        <div className="kern-alert__body">
          <p className="kern-body">{i18next.t('errors.pageFailedHint')}</p>
        </div>
      </div>
    );
  }
}
