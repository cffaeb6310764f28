/**
 * The goal presets: each finds the smallest k that reaches its goal (fix the selected error,
 * forget its class, remove the backdoor) and says what it found.
 */
import type { EditGoal } from '../coar/edit-outcome';
import { goalResultText } from './edit-spec';
import type { GoalState } from './use-edit';

interface Props {
  /** Data-set index and class name of the selected example. */
  selectedIndex: number;
  selectedClass: string;
  /** The backdoor preset is offered only where the data set has a "triggered" subset. */
  backdoor: boolean;
  backdoorMaxK: string;
  componentCount: number;
  goal: GoalState | null;
  onGoal: (goal: EditGoal) => void;
  onBackdoorMaxK: (value: string) => void;
}

export function EditPresets(p: Props) {
  const running = p.goal !== null && 'running' in p.goal;
  const off = running;
  return (
    <div className="edit-presets">
      <div className="preset-buttons">
        <button type="button" onClick={() => p.onGoal('fix')} disabled={off} data-testid="preset-fix" title="Target: the selected example (it must be misclassified); reference: the rest. Searches k ≤ 20.">
          Fix this error (#{p.selectedIndex})
        </button>
        <button type="button" onClick={() => p.onGoal('forget')} disabled={off} data-testid="preset-forget" title="Target: every run example of the selected example's class; reference: all others. Searches k ≤ 10% of the components.">
          Forget this class ({p.selectedClass})
        </button>
        {p.backdoor && (
          <span className="preset-backdoor">
            <button type="button" onClick={() => p.onGoal('backdoor')} disabled={off} data-testid="preset-backdoor" title="Target: subset triggered; reference: subset clean. Goal: triggered accuracy up by 30 points or more.">
              Remove the backdoor
            </button>{' '}
            <label>
              with k ≤{' '}
              <input type="number" min={1} max={p.componentCount} value={p.backdoorMaxK} onChange={(e) => p.onBackdoorMaxK(e.target.value)} className="small" data-testid="preset-max-k" disabled={off} />
            </label>
          </span>
        )}
      </div>
      <div className="preset-outcome" aria-live="polite">
        {p.goal && 'running' in p.goal && <span className="muted"><span className="spinner" aria-hidden /> Searching the smallest k…</span>}
        {p.goal && 'message' in p.goal && <span className="preset-message" data-testid="preset-message" role="alert">{p.goal.message}</span>}
        {p.goal && 'view' in p.goal && (
          <span
            className={`preset-result ${p.goal.view.reached ? 'reached' : 'not-reached'}`} data-testid="preset-result"
            data-reached={String(p.goal.view.reached)} data-k={p.goal.view.outcome.k} data-goal={p.goal.goal} data-max-k={p.goal.view.maxK}
          >
            {p.goal.view.reached ? '✓ ' : '✗ '}{goalResultText(p.goal.view)}
          </span>
        )}
      </div>
    </div>
  );
}
