/** Progress of the live-run job: a bar with samples done, rate and ETA. Its height never changes. */
import type { Progress } from '../../worker/protocol/protocol';
import { duration, int } from '../format/format';

/** `estimatedRate`: pairs per second timed before the run, for a time left until the run measures its own. */
export function RunProgress({ progress, active, estimatedRate = null }: { progress: Progress | null; active: boolean; estimatedRate?: number | null }) {
  // Sampling counts pairs; the fit counts its steps (the normal equations, then each ridge penalty).
  const fraction = progress?.pairsTotal ? (progress.pairsDone ?? 0) / progress.pairsTotal : progress?.total ? (progress.done ?? 0) / progress.total : 0;
  const detail = progress?.pairsTotal
    ? `${int(progress.pairsDone ?? 0)} / ${int(progress.pairsTotal)} samples (${int(progress.done ?? 0)} / ${int(progress.total ?? 0)} masks)`
      + (progress.pairsPerSecond ? ` · ${int(progress.pairsPerSecond)} pairs/s · ETA ${duration(progress.etaSeconds)}`
        : estimatedRate ? ` · about ${duration((progress.pairsTotal - (progress.pairsDone ?? 0)) / estimatedRate)} (estimated before the start)` : '')
    : progress?.total ? `step ${int((progress.done ?? 0) + 1)} of ${int(progress.total)}` : '';
  return (
    <div className={`run-progress${active ? ' active' : ''}${active && fraction === 0 ? ' starting' : ''}`} data-testid="run-progress" data-done={active ? progress?.done ?? 0 : ''} data-total={active ? progress?.total ?? '' : ''} aria-live="polite">
      <div
        className="bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(100 * fraction)}
        aria-label="Live run progress"
      >
        <div className="fill" style={{ width: `${(100 * fraction).toFixed(1)}%` }} />
      </div>
      <div className="progress-text">
        <span className="stage">{active ? progress?.stage ?? 'Waiting for the worker…' : 'No run in progress.'}</span>
        <span className="detail" data-testid="run-progress-detail">{active ? detail : ''}</span>
      </div>
    </div>
  );
}
