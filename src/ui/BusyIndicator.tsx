/**
 * "Working on it": any action the page waits on for longer than APP_CONFIG.ui.busyAfterMs shows
 * what it is waiting for, in a corner that is always in view, with the time so far.
 */
import { useEffect, useState } from 'react';
import { APP_CONFIG } from '../app-config';
import { busyWith, type PendingRequest } from './busy';
import type { CoarClient } from './worker-client';

export function BusyIndicator({ client }: { client: CoarClient }) {
  const [pending, setPending] = useState<PendingRequest[]>([]);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => client.onPending(setPending), [client]);
  // While anything is pending, look again in time to show it at busyAfterMs, then every half second.
  useEffect(() => {
    if (pending.length === 0) return;
    const oldest = Math.min(...pending.map((p) => p.since));
    const wait = Math.max(0, APP_CONFIG.ui.busyAfterMs - (performance.now() - oldest));
    const timer = setTimeout(() => setNow(performance.now()), Math.min(wait || 500, 500));
    return () => clearTimeout(timer);
  }, [pending, now]);
  const busy = busyWith(pending, now, APP_CONFIG.ui.busyAfterMs);
  return (
    <div className={`busy-indicator${busy ? ' shown' : ''}`} role="status" aria-live="polite" data-testid="busy-indicator" data-busy={busy?.type ?? ''}>
      {busy && <><span className="spinner" aria-hidden="true" /> {busy.label}… <span className="busy-time">{((now - busy.since) / 1000).toFixed(1)} s</span></>}
    </div>
  );
}
