/** Errors, warnings and notices, newest last; each can be dismissed. Nothing computed is cleared. */
import type { Message } from './use-messages';

interface Props {
  messages: Message[];
  onDismiss: (id: number) => void;
}

const TITLES = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

export function ErrorBanner({ messages, onDismiss }: Props) {
  if (!messages.length) return null;
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      {messages.map((m) => (
        <div key={m.id} className={`message ${m.tone}`} data-code={m.code ?? ''}>
          <strong>{TITLES[m.tone]}:</strong> <span className="text">{m.text}</span>
          <button type="button" className="dismiss" onClick={() => onDismiss(m.id)} aria-label="Dismiss this message">×</button>
        </div>
      ))}
    </div>
  );
}
