/** Errors, warnings and notices, newest last; each can be dismissed. Nothing computed is cleared. */
import { LIMITS } from '../../coar/limits';
import type { Message } from '../state/use-messages';

interface Props {
  messages: Message[];
  onDismiss: (id: number) => void;
  /** Older messages dropped to keep the list short (LIMITS.warningsKept). */
  dropped?: number;
}

const TITLES = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

export function ErrorBanner({ messages, onDismiss, dropped = 0 }: Props) {
  if (!messages.length && !dropped) return null;
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      {dropped > 0 && (
        <div className="message info" data-testid="messages-dropped" data-count={dropped}>
          {dropped.toLocaleString('en-US')} older message{dropped === 1 ? ' was' : 's were'} dropped; the newest {LIMITS.warningsKept} are kept.
        </div>
      )}
      {messages.map((m) => (
        <div key={m.id} className={`message ${m.tone}`} data-code={m.code ?? ''}>
          <strong>{TITLES[m.tone]}:</strong> <span className="text">{m.text}</span>
          <button type="button" className="dismiss" onClick={() => onDismiss(m.id)} aria-label="Dismiss this message">×</button>
        </div>
      ))}
    </div>
  );
}
