/** The selected example: a large image, its label, prediction and margin, and the scatter. */
import type { AblationView, DatasetView, RunView } from '../worker/protocol';
import { ExampleImage } from './ExampleImage';
import { fixed } from './format';
import { Scatter } from './Scatter';

interface Props {
  run: RunView;
  dataset: DatasetView;
  selected: number;
  ablation: AblationView | null;
}

export function ExampleDetail({ run, dataset, selected, ablation }: Props) {
  const index = run.examples[selected];
  const label = dataset.classNames[run.labels[selected]];
  const predicted = dataset.classNames[run.predictedClass[selected]];
  const correct = run.labels[selected] === run.predictedClass[selected];
  const point = ablation ? { predicted: ablation.predicted[selected], actual: ablation.actual[selected] } : null;
  return (
    <section className="panel detail-panel" aria-labelledby="detail-title" data-testid="example-detail">
      <div className="detail-head">
        <ExampleImage dataset={dataset} index={index} size={112} alt={`Example ${index}: ${label}`} />
        <div>
          <h2 id="detail-title">Example #{index}</h2>
          <p>Label: <strong>{label}</strong></p>
          <p>Predicted: <strong className={correct ? 'ok' : 'bad'}>{predicted}</strong> {correct ? '(correct)' : '(wrong)'}</p>
          <p>Margin: <strong data-testid="selected-margin">{fixed(run.baseOutputs[selected])}</strong></p>
        </div>
      </div>
      <Scatter run={run} selected={selected} ablationPoint={point} />
    </section>
  );
}
