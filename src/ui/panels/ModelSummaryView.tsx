/** A picked model before anything runs: input, classes, parameters, components, its layers, and whether it fits in memory. */
import type { ModelInspection } from '../../worker/protocol/protocol';
import { bytes, int, shape } from '../format/format';

export function ModelSummaryView({ inspection }: { inspection: ModelInspection }) {
  const { summary: s, memory: m } = inspection;
  return (
    <div className="model-summary" data-testid="model-summary" data-components={s.componentCount} data-fits={m.fits}>
      <dl className="facts">
        <div><dt>Model</dt><dd>{s.name}</dd></div>
        <div><dt>Input</dt><dd data-testid="model-input-shape">{shape(s.inputShape)}</dd></div>
        <div><dt>Classes</dt><dd data-testid="model-class-count">{int(s.classCount)}</dd></div>
        <div><dt>Parameters</dt><dd>{int(s.paramCount)}</dd></div>
        <div><dt>Components</dt><dd data-testid="model-component-count">{int(s.componentCount)}</dd></div>
      </dl>
      <p className="scores-note" data-testid="model-scores" data-scores={s.scores}>{s.scoresNote}</p>
      <p className={`memory${m.fits ? '' : ' too-large'}`} data-testid="model-memory" role={m.fits ? undefined : 'alert'}>
        {m.fits
          ? <>Memory: about {bytes(m.peakBytes)} ({bytes(m.weightBytes)} of weights + {int(m.pairsPerBatch)} pairs per batch × {bytes(m.bytesPerPair)}); {m.device} offers about {bytes(m.budgetBytes)}.</>
          : <><strong>This model does not fit:</strong> {m.problem}</>}
      </p>
      {inspection.keras3Changes.length > 0 && (
        <details className="keras3-note" data-testid="model-keras3">
          <summary>Saved by Keras 3: {inspection.keras3Changes.length} thing{inspection.keras3Changes.length === 1 ? '' : 's'} rewritten so that TensorFlow.js can build it</summary>
          <ul>{inspection.keras3Changes.map((c) => <li key={c}>{c}</li>)}</ul>
        </details>
      )}
      <div className="layer-table-box">
        <table className="layer-table">
          <caption>Layers (components: the filters and units COAR can switch off; the output layer's are not counted)</caption>
          <thead><tr><th>Layer</th><th>Class</th><th>Output</th><th className="num">Parameters</th><th className="num">Components</th></tr></thead>
          <tbody>
            {s.layers.map((l) => (
              <tr key={l.name} className={l.components ? 'has-components' : ''}>
                <td>{l.name}</td><td>{l.className}</td><td>{shape(l.outputShape)}</td>
                <td className="num">{int(l.params)}</td><td className="num">{l.components ? int(l.components) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
