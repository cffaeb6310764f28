/**
 * Pairs per second of the loaded model, timed once per load when the worker is idle, so the run
 * form can estimate a run's time before the first run has measured it.
 */
import { useEffect, useState } from 'react';
import type { CoarClient } from './worker-client';

export function useRateEstimate(client: CoarClient, loadId: number | null, idle: boolean, exampleCount: number) {
  const [estimate, setEstimate] = useState<{ loadId: number; rate: number } | null>(null);
  const known = estimate !== null && estimate.loadId === loadId;
  useEffect(() => {
    if (loadId === null || !idle || known) return;
    const job = client.request<'estimate-rate'>({ type: 'estimate-rate', exampleCount });
    let current = true;
    // A failed estimate only means no time estimate before the first run.
    job.promise.then((r) => { if (current) setEstimate({ loadId, rate: r.pairsPerSecond }); }, () => {});
    return () => { current = false; };
  }, [client, loadId, idle, known, exampleCount]);
  return { estimate: known ? estimate.rate : null };
}
