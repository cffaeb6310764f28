/**
 * "Working on it": any action the page waits on for longer than APP_CONFIG.ui.busyAfterMs shows
 * what it is waiting for, in a corner that is always in view, with the time so far.
 */
import { useEffect, useState } from 'react';
import { APP_CONFIG } from '../../app-config';
import { busyWith, type PendingRequest } from '../state/busy';
import type { CoarClient } from '../state/worker-client';

export function BusyIndicator({ client }: { client: CoarClient }) {
  const [pending, setPending] = useState<PendingRequest[]>([]);
  const [now, setNow] = useState(() => performance.now());
  // The client tells again busyAfterMs after each request: the indicator shows then.
  useEffect(() => client.onPending((list) => { setPending(list); setNow(performance.now()); }, APP_CONFIG.ui.busyAfterMs), [client]);
  // While something is shown, its time so far is updated every half second.
  const shown = busyWith(pending, now, APP_CONFIG.ui.busyAfterMs) !== null;
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setNow(performance.now()), 500);
    return () => clearTimeout(timer);
  }, [shown, now]);
  const busy = busyWith(pending, now, APP_CONFIG.ui.busyAfterMs);
  return (
    <div className={`busy-indicator${busy ? ' shown' : ''}`} role="status" aria-live="polite" data-testid="busy-indicator" data-busy={busy?.type ?? ''}>
      {busy && <><span className="spinner" aria-hidden="true" /> {busy.label}… <span className="busy-time">{((now - busy.since) / 1000).toFixed(1)} s</span></>}
    </div>
  );
}
