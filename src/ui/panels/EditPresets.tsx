/**
 * The goal presets: each finds the smallest k that reaches its goal (fix the selected error,
 * forget its class, remove the backdoor) and says what it found, judged on the whole picture: a
 * success only when the goal is met and the damage outside the target stays within the budget the
 * user sees and sets here (amber otherwise, with the cost). On a backdoored data set it says which
 * examples carry the trigger and where.
 */
import type { EditGoal } from '../../coar/edit-judge';
import type { SubsetInfo } from '../../coar/dataset';
import { goalResultText } from '../state/edit-spec';
import { duration } from '../format/format';
import { Term } from './Term';
import type { GoalState } from '../state/use-edit';

interface Props {
  /** Data-set index and class name of the selected example. */
  selectedIndex: number;
  selectedClass: string;
  /** The backdoor preset is offered only where the data set has a "triggered" subset. */
  backdoor: boolean;
  /** What the triggered examples carry (dataset.json "subsetInfo"), and which run examples they are. */
  trigger: SubsetInfo | null;
  triggeredInRun: number[];
  triggeredRange: [number, number] | null;
  /** The largest k each goal searches (it follows N). */
  maxK: Record<EditGoal, number>;
  backdoorMaxK: string;
  componentCount: number;
  /** Accuracy points the examples outside the target may lose, as typed. */
  budget: string;
  budgetValue: number | null;
  goal: GoalState | null;
  onGoal: (goal: EditGoal) => void;
  onBackdoorMaxK: (value: string) => void;
  onBudget: (value: string) => void;
  /** Before a search: its largest cost in seconds (each k tried runs the model on the run's examples), or null while unknown. */
  searchSeconds: Record<EditGoal, number> | null;
}

const SYMBOL = { success: '✓', 'over-budget': '⚠', 'not-reached': '✗' } as const;

export function EditPresets(p: Props) {
  const running = p.goal !== null && 'running' in p.goal;
  const off = running;
  const judged = p.goal && 'view' in p.goal && p.budgetValue !== null ? goalResultText(p.goal.view, p.budgetValue) : null;
  return (
    <div className="edit-presets">
      <div className="preset-buttons">
        <button type="button" onClick={() => p.onGoal('fix')} disabled={off} data-testid="preset-fix" title={`Target: the selected example (it must be misclassified); reference: the rest. Searches k ≤ ${p.maxK.fix}.`}>
          Fix this error (#{p.selectedIndex})
        </button>
        <button type="button" onClick={() => p.onGoal('forget')} disabled={off} data-testid="preset-forget" title={`Target: every run example of the selected example's class; reference: all others. Searches k ≤ ${p.maxK.forget}.`}>
          Forget this class ({p.selectedClass})
        </button>
        {p.backdoor && (
          <span className="preset-backdoor">
            <button type="button" onClick={() => p.onGoal('backdoor')} disabled={off} data-testid="preset-backdoor" title="Target: subset triggered; reference: subset clean. Goal: triggered accuracy up by 30 points or more.">
              Remove the backdoor
            </button>{' '}
            <label>
              with <Term id="k" /> ≤{' '}
              <input type="number" min={1} max={p.componentCount} value={p.backdoorMaxK} onChange={(e) => p.onBackdoorMaxK(e.target.value)} className="small" data-testid="preset-max-k" disabled={off} />
            </label>
          </span>
        )}
        <label className="damage-budget">
          <Term id="damage-budget">Allowed damage</Term> elsewhere: ≤{' '}
          <input type="number" min={0} max={100} step={0.5} value={p.budget} onChange={(e) => p.onBudget(e.target.value)} className="small" data-testid="damage-budget" aria-invalid={p.budgetValue === null} />{' '}
          accuracy points
        </label>
      </div>
      <p className="muted search-estimate" data-testid="edit-search-estimate">
        Each preset tries k = 1, 2, … up to k ≤ {p.maxK.fix} (fix), {p.maxK.forget} (forget){p.backdoor ? `, ${p.backdoorMaxK || '?'} (backdoor)` : ''} and stops at the first that reaches its goal
        {p.searchSeconds ? <>: at most about {duration(p.searchSeconds.fix)} (fix), {duration(p.searchSeconds.forget)} (forget){p.backdoor ? `, ${duration(p.searchSeconds.backdoor)} (backdoor)` : ''} here.</> : '.'}
      </p>
      {p.backdoor && p.trigger && (
        <p className="trigger-note" data-testid="trigger-note">
          <span className="trigger-swatch" aria-hidden="true" /> The <Term id="trigger" /> examples
          {p.triggeredRange ? ` (data-set images ${p.triggeredRange[0].toLocaleString('en-US')}–${(p.triggeredRange[1] - 1).toLocaleString('en-US')})` : ''} carry {p.trigger.description}.
          {' '}In this run: {p.triggeredInRun.length === 0 ? 'none of the examples' : `${p.triggeredInRun.length} of the examples, outlined in amber in the gallery where the trigger sits`}.
        </p>
      )}
      <div className="preset-outcome" aria-live="polite">
        {p.goal && 'running' in p.goal && <span className="muted"><span className="spinner" aria-hidden /> Searching the smallest k…</span>}
        {p.goal && 'message' in p.goal && <span className="preset-message" data-testid="preset-message" role="alert">{p.goal.message}</span>}
        {p.goal && 'view' in p.goal && (
          <span
            className={`preset-result ${judged?.verdict ?? 'not-reached'}`} data-testid="preset-result"
            data-reached={String(p.goal.view.reached)} data-verdict={judged?.verdict ?? ''} data-damage={judged?.damage.drop ?? ''} data-damage-group={judged?.damage.group ?? ''}
            data-budget={p.budgetValue ?? ''} data-k={p.goal.view.outcome.k} data-goal={p.goal.goal} data-max-k={p.goal.view.maxK}
          >
            {judged ? `${SYMBOL[judged.verdict]} ${judged.text}` : 'Set the allowed damage (0 to 100 accuracy points) to judge the result.'}
          </span>
        )}
      </div>
    </div>
  );
}
