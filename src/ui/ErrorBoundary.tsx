/** Last line of defence: a rendering error shows a message instead of a blank page. */
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-banner fatal" data-testid="error-banner" role="alert">
        <div className="message error">
          <strong>Error:</strong> The page failed to draw ({this.state.error.message}).{' '}
          <button type="button" onClick={() => this.setState({ error: null })}>Try again</button>{' '}
          <button type="button" onClick={() => location.reload()}>Reload</button>
        </div>
      </div>
    );
  }
}
