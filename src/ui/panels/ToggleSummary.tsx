/**
 * On a phone the switch-off results sit below the heatmap: this line keeps the selected example's
 * outcome in view while cells are tapped (sticky at the bottom of the window, phones only), with a
 * button that scrolls to the full results.
 */
import type { AblationView, RunView } from '../../worker/protocol/protocol';
import { fixed, signed } from '../format/format';

interface Props {
  run: RunView;
  selected: number;
  ablated: number[];
  result: AblationView | null;
  busy: boolean;
}

const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function ToggleSummary({ run, selected, ablated, result, busy }: Props) {
  if (ablated.length === 0) return null;
  const current = result !== null && sameList(result.components, ablated);
  const before = run.baseOutputs[selected];
  const toResults = () => document.querySelector('[data-testid="ablation-panel"]')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  return (
    <div className="toggle-summary" data-testid="toggle-summary" aria-live="polite">
      <span>
        {ablated.length} off · #{run.examples[selected]}:{' '}
        {current
          ? <>margin {fixed(before)} → <strong>{fixed(result.actual[selected])}</strong> ({signed(result.actual[selected] - before)}), COAR {fixed(result.predicted[selected])}</>
          : busy ? 'computing…' : ''}
      </span>
      <button type="button" className="link" onClick={toResults} data-testid="toggle-summary-results">All results ↓</button>
    </div>
  );
}
