/** Messages for the banner: errors, warnings and notices, each dismissable. */
import { useCallback, useState } from 'react';
import { LIMITS } from '../../coar/limits';

export type Tone = 'error' | 'warning' | 'info';

export interface Message {
  id: number;
  tone: Tone;
  text: string;
  /** Machine-readable cause (the worker's error code), for tests and styling. */
  code?: string;
}

export interface MessageList {
  messages: Message[];
  /** Older messages dropped to keep at most `keep` (LIMITS.warningsKept): counted, and said, never lost silently. */
  dropped: number;
}

let nextMessageId = 1;

/** `list` with `message` added last, keeping the newest `keep` and counting the rest; the same text twice in a row adds nothing. */
export function appendMessage(list: MessageList, message: Omit<Message, 'id'>, keep: number = LIMITS.warningsKept): MessageList {
  const { messages } = list;
  if (messages.length && messages[messages.length - 1].text === message.text) return list;
  const next = [...messages, { id: nextMessageId++, ...message }];
  const over = Math.max(0, next.length - keep);
  return { messages: next.slice(over), dropped: list.dropped + over };
}

export function useMessages() {
  const [list, setList] = useState<MessageList>({ messages: [], dropped: 0 });
  const push = useCallback((tone: Tone, text: string, code?: string) => {
    setList((l) => appendMessage(l, { tone, text, code }));
  }, []);
  const dismiss = useCallback((id: number) => setList((l) => ({ ...l, messages: l.messages.filter((m) => m.id !== id) })), []);
  const clear = useCallback((code: string) => setList((l) => ({ ...l, messages: l.messages.filter((m) => m.code !== code) })), []);
  return { messages: list.messages, dropped: list.dropped, push, dismiss, clear };
}
