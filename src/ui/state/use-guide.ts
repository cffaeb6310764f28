/**
 * The guided steps' state: shown or hidden (remembered in this browser), and what the user has
 * done — picked an example and looked at a cell are recorded here; the rest is read from the page.
 */
import { useCallback, useMemo, useState } from 'react';
import type { GuideProgress } from './guide-steps';

const STORAGE_KEY = 'coar-explorer.guide-hidden';

function storedHidden(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

function storeHidden(hidden: boolean): void {
  try {
    if (hidden) localStorage.setItem(STORAGE_KEY, '1');
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

type Derived = Pick<GuideProgress, 'switchedOff' | 'edited' | 'evaluated' | 'ran'>;

export function useGuide(derived: Derived) {
  const [open, setOpen] = useState(() => !storedHidden());
  const [own, setOwn] = useState({ picked: false, read: false, switchedOff: false, edited: false });
  const mark = useCallback((what: 'picked' | 'read') => setOwn((o) => (o[what] ? o : { ...o, [what]: true })), []);
  const markRead = useCallback(() => mark('read'), [mark]);
  // Once done, a step stays done (switching everything back on does not undo having tried it).
  if ((derived.switchedOff && !own.switchedOff) || (derived.edited && !own.edited)) {
    setOwn((o) => ({ ...o, switchedOff: o.switchedOff || derived.switchedOff, edited: o.edited || derived.edited }));
  }
  const progress: GuideProgress = useMemo(() => ({
    picked: own.picked, read: own.read, switchedOff: own.switchedOff || derived.switchedOff, edited: own.edited || derived.edited,
    evaluated: derived.evaluated, ran: derived.ran,
  }), [own, derived.switchedOff, derived.edited, derived.evaluated, derived.ran]);
  const hide = useCallback(() => { storeHidden(true); setOpen(false); }, []);
  const show = useCallback(() => { storeHidden(false); setOpen(true); }, []);
  return { open, progress, mark, markRead, hide, show };
}
