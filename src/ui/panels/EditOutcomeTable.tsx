/**
 * Before/after of an edit: accuracy and mean margin of the target, the reference, the whole subset
 * (subset targets) and the data set without the targets — the actual model beside COAR's
 * prediction. The raw numbers sit in data-* attributes (e.g. data-target-accuracy-after).
 */
import type { GroupOutcome } from '../../coar/edit-outcome';
import type { EditView } from '../../worker/protocol/protocol';
import { fixed, int, percent } from '../format/format';

type Row = { key: string; label: string; group: GroupOutcome };

/** data-PREFIX-accuracy-before … for one group. */
function attributes(prefix: string, g: GroupOutcome | null): Record<string, string> {
  if (!g) return {};
  const raw = (x: number | null) => (x === null ? '' : String(x));
  return {
    [`data-${prefix}-count`]: String(g.count),
    [`data-${prefix}-accuracy-before`]: raw(g.accuracyBefore),
    [`data-${prefix}-accuracy-after`]: raw(g.accuracyAfter),
    [`data-${prefix}-predicted-accuracy-after`]: raw(g.predictedAccuracyAfter),
    [`data-${prefix}-margin-before`]: raw(g.meanMarginBefore),
    [`data-${prefix}-margin-after`]: raw(g.meanMarginAfter),
    [`data-${prefix}-predicted-margin-after`]: raw(g.predictedMeanMarginAfter),
  };
}

function change(before: number, after: number, format: (x: number) => string) {
  const cls = after > before ? 'up' : after < before ? 'down' : '';
  return <><span className="muted">{format(before)} →</span> <strong className={cls}>{format(after)}</strong></>;
}

export function EditOutcomeTable({ view, stale }: { view: EditView; stale: boolean }) {
  const o = view.outcome;
  const subset = view.spec.target.startsWith('subset:') ? view.spec.target.slice(7) : null;
  const rows: Row[] = [
    { key: 'target', label: `Target (${int(o.target.count)} of the run's examples)`, group: o.target },
    { key: 'reference', label: `Reference (${int(o.reference.count)})`, group: o.reference },
  ];
  if (o.targetEvaluation) rows.push({ key: 'subset', label: `Whole subset "${subset}" (${int(o.targetEvaluation.count)} images)`, group: o.targetEvaluation });
  if (o.evaluation) rows.push({ key: 'dataset', label: `Data set without the targets (${int(o.evaluation.count)} of its first ${int(view.datasetCount)} images)`, group: o.evaluation });
  const pct = (x: number) => percent(x);
  const margin = (x: number) => fixed(x);

  return (
    <div className="table-scroll">
    <table
      className={`edit-outcome${stale ? ' stale' : ''}`} data-testid="edit-outcome" data-k={o.k} data-components={o.components.join(',')} data-stale={stale}
      {...attributes('target', o.target)} {...attributes('reference', o.reference)} {...attributes('subset', o.targetEvaluation)} {...attributes('dataset', o.evaluation)}
    >
      <caption>
        With the top <strong>k = {o.k}</strong> component{o.k === 1 ? '' : 's'} switched off: before → actual after, and what COAR predicted from the attributions alone.
      </caption>
      <thead>
        <tr>
          <th scope="col" rowSpan={2}>examples</th>
          <th scope="colgroup" colSpan={2}>accuracy</th>
          <th scope="colgroup" colSpan={2}>mean margin</th>
        </tr>
        <tr>
          <th scope="col">before → after</th><th scope="col">COAR predicted</th>
          <th scope="col">before → after</th><th scope="col">COAR predicted</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, label, group: g }) => (
          <tr key={key} data-testid={`edit-row-${key}`}>
            <th scope="row">{label}</th>
            <td className="num">{change(g.accuracyBefore, g.accuracyAfter, pct)}</td>
            <td className="num predicted">{g.predictedAccuracyAfter === null ? <span className="muted" title="COAR's attributions cover only the run's examples">—</span> : pct(g.predictedAccuracyAfter)}</td>
            <td className="num">{change(g.meanMarginBefore, g.meanMarginAfter, margin)}</td>
            <td className="num predicted">{g.predictedMeanMarginAfter === null ? <span className="muted">—</span> : margin(g.predictedMeanMarginAfter)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
