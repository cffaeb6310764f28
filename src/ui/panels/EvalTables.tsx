/** The numbers beside each evaluation chart. */
import { Term } from './Term';
import type { EvaluationView } from '../../worker/protocol/protocol';
import { METHODS, perExampleSummary } from '../charts/eval-data';
import { fixed, int } from '../format/format';

const label = (key: string) => METHODS[key]?.label ?? key;

export function AlphaTable({ view }: { view: EvaluationView }) {
  return (
    <div className="table-scroll eval-table-box">
    <table className="eval-table" data-testid="eval-table-alpha">
      <caption>Mean held-out correlation ({int(view.masksPerAlpha)} fresh masks per alpha, the same for every method; * = fitted alpha)</caption>
      <thead>
        <tr><th scope="col">alpha</th>{view.methods.map((m) => <th key={m} scope="col">{label(m)}</th>)}</tr>
      </thead>
      <tbody>
        {view.alpha.map((row) => (
          <tr key={row.alpha} data-alpha={row.alpha}>
            <th scope="row">{row.alpha}{row.alpha === view.trainedAlpha ? '*' : ''}</th>
            {view.methods.map((m) => <td key={m} className="num" data-method={m} data-value={row.mean[m]}>{fixed(row.mean[m], 3)}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

export function MaskTable({ view }: { view: EvaluationView }) {
  return (
    <div className="table-scroll eval-table-box">
    <table className="eval-table" data-testid="eval-table-masks">
      <caption>Validation correlation after refitting on the first m computed masks</caption>
      <thead><tr><th scope="col">masks m</th><th scope="col">correlation</th><th scope="col"><Term id="ridge-lambda" /></th></tr></thead>
      <tbody>
        {view.maskCurve.map((p) => (
          <tr key={p.masks} data-masks={p.masks}>
            <th scope="row">{int(p.masks)}</th>
            <td className="num" data-value={p.validationCorrelation ?? ''}>{fixed(p.validationCorrelation, 3)}</td>
            <td className="num">{p.lambda.toPrecision(3)}</td>
          </tr>
        ))}
        {view.maskCurve.length === 0 && <tr><td colSpan={3} className="muted">{view.maskCurveProblem ?? 'No points.'}</td></tr>}
      </tbody>
    </table>
    </div>
  );
}

export function ExampleTable({ view }: { view: EvaluationView }) {
  return (
    <div className="table-scroll eval-table-box">
    <table className="eval-table" data-testid="eval-table-examples">
      <caption>Per-example correlation at alpha {view.perExample.alpha} ({int(view.exampleCount)} examples)</caption>
      <thead><tr><th scope="col">method</th><th scope="col">mean</th><th scope="col">median</th><th scope="col">10th pct.</th><th scope="col">defined</th></tr></thead>
      <tbody>
        {perExampleSummary(view).map((s) => (
          <tr key={s.key} data-method={s.key}>
            <th scope="row">{s.label}</th>
            <td className="num" data-value={s.mean}>{fixed(s.mean, 3)}</td>
            <td className="num">{fixed(s.median, 3)}</td>
            <td className="num">{fixed(s.p10, 3)}</td>
            <td className="num">{s.defined}/{s.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
