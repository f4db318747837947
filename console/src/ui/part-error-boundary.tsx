import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * One part of a page that throws while drawing shows why in its place, and
 * the rest of the page stays: the editor's canvas and side panels sit in
 * one each, so a drawing bug there never unmounts the editor, which holds
 * the unsaved draft and its undo history (the page's own boundary would).
 * A new `resetKey` (the draft after an undo or a fix) draws the part again.
 */
export class PartErrorBoundary extends Component<{ children: ReactNode; what: string; hint: string; resetKey: unknown }, { error: Error | null; resetKey: unknown }> {
  state: { error: Error | null; resetKey: unknown } = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: { resetKey: unknown }, state: { resetKey: unknown }): { error: null; resetKey: unknown } | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    // Kept for whoever opens the browser's console to report it.
    console.error(`the ${this.props.what} failed to draw`, error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error" role="alert" data-testid="part-failed">
        <strong>The {this.props.what} failed to draw:</strong> {this.state.error.message}. {this.props.hint}
      </div>
    );
  }
}
