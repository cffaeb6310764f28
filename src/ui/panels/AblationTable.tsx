/**
 * Per-example outcome of the current ablation: margin before, actual margin after, the margin
 * COAR predicted, and the prediction before → after. Flipped predictions come first.
 */
import { useMemo, useState } from 'react';
import { APP_CONFIG } from '../../app-config';
import type { AblationView, DatasetView, RunView } from '../../worker/protocol/protocol';
import { fixed, signed } from '../format/format';

interface Props {
  run: RunView;
  dataset: DatasetView;
  result: AblationView;
  selected: number;
  onSelect: (j: number) => void;
}

export function AblationTable({ run, dataset, result, selected, onSelect }: Props) {
  const [all, setAll] = useState(false);
  const rows = useMemo(() => {
    const list = run.labels.length ? Array.from(run.labels, (label, j) => {
      const before = run.predictedClass[j];
      const after = result.predictedClass[j];
      return {
        j, label, before, after,
        flipped: before !== after,
        fixed: before !== label && after === label,
        broken: before === label && after !== label,
        base: run.baseOutputs[j], actual: result.actual[j], predicted: result.predicted[j],
      };
    }) : [];
    return list.sort((a, b) => Number(b.j === selected) - Number(a.j === selected) || Number(b.flipped) - Number(a.flipped)
      || Math.abs(b.actual - b.base) - Math.abs(a.actual - a.base));
  }, [run, result, selected]);
  const shown = all ? rows : rows.slice(0, APP_CONFIG.ui.ablationRowsShown);
  const flippedCount = rows.filter((r) => r.flipped).length;
  const name = (c: number) => dataset.classNames[c];

  return (
    <div className="ablation-table">
      <div className="table-scroll">
      <table data-testid="ablation-results" data-flipped={flippedCount}>
        <caption>
          {flippedCount === 0 ? 'No prediction changed.' : `${flippedCount} prediction${flippedCount === 1 ? '' : 's'} changed.`}{' '}
          Margins: before → actual after, and COAR’s prediction.
        </caption>
        <thead>
          <tr><th scope="col">example</th><th scope="col">before</th><th scope="col">after</th><th scope="col">COAR</th><th scope="col">prediction</th></tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.j} className={`${r.fixed ? 'fixed' : ''}${r.broken ? 'broken' : ''}${r.j === selected ? ' selected' : ''}`} data-testid={`ablation-row-${r.j}`} data-flipped={r.flipped}>
              <td><button type="button" className="link" onClick={() => onSelect(r.j)}>#{run.examples[r.j]}</button> <span className="muted">{name(r.label)}</span></td>
              <td className="num">{fixed(r.base)}</td>
              <td className="num">{fixed(r.actual)} <span className="delta">({signed(r.actual - r.base)})</span></td>
              <td className="num">{fixed(r.predicted)}</td>
              <td>{r.flipped ? <><span>{name(r.before)}</span> → <strong>{name(r.after)}</strong>{r.fixed ? ' (fixed)' : r.broken ? ' (now wrong)' : ''}</> : <span className="muted">same</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {rows.length > APP_CONFIG.ui.ablationRowsShown && (
        <button type="button" className="link" onClick={() => setAll((a) => !a)} data-testid="ablation-show-all">
          {all ? 'Show fewer' : `Show all ${rows.length} examples`}
        </button>
      )}
    </div>
  );
}
