import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * A page that throws while drawing shows why, under the console's own
 * header and navigation, instead of leaving a blank window. React catches
 * render errors only in a class component; this is the console's one.
 * Keyed by the page's address where it is used, so another page starts afresh.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for whoever opens the browser's console to report it.
    console.error('a console page failed', error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error" role="alert" data-testid="page-failed">
        <strong>This page failed to draw:</strong> {this.state.error.message}. The rest of the console works: open another page from the bar above, or reload this one.{' '}
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
