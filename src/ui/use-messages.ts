/** Messages for the banner: errors, warnings and notices, each dismissable. */
import { useCallback, useState } from 'react';

export type Tone = 'error' | 'warning' | 'info';

export interface Message {
  id: number;
  tone: Tone;
  text: string;
  /** Machine-readable cause (the worker's error code), for tests and styling. */
  code?: string;
}

let nextMessageId = 1;

export function useMessages() {
  const [messages, setMessages] = useState<Message[]>([]);
  const push = useCallback((tone: Tone, text: string, code?: string) => {
    setMessages((list) => {
      // The same text twice in a row adds nothing.
      if (list.length && list[list.length - 1].text === text) return list;
      return [...list.slice(-4), { id: nextMessageId++, tone, text, code }];
    });
  }, []);
  const dismiss = useCallback((id: number) => setMessages((list) => list.filter((m) => m.id !== id)), []);
  const clear = useCallback((code: string) => setMessages((list) => list.filter((m) => m.code !== code)), []);
  return { messages, push, dismiss, clear };
}
