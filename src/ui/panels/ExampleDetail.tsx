/** The selected example: its image, label, prediction and margin (and whether it carries a data set's marked pattern). */
import type { DatasetView, RunView } from '../../worker/protocol/protocol';
import { ExampleImage } from './ExampleImage';
import { fixed } from '../format/format';
import { markOf } from './subset-marks';
import { Term } from './Term';

interface Props {
  run: RunView;
  dataset: DatasetView;
  selected: number;
}

export function ExampleDetail({ run, dataset, selected }: Props) {
  const index = run.examples[selected];
  const label = dataset.classNames[run.labels[selected]];
  const predicted = dataset.classNames[run.predictedClass[selected]];
  const correct = run.labels[selected] === run.predictedClass[selected];
  const mark = markOf(dataset, index);
  return (
    <section className="panel detail-panel" aria-labelledby="detail-title" data-testid="example-detail">
      <div className="detail-head">
        <ExampleImage dataset={dataset} index={index} size={88} alt={`Example ${index}: ${label}`} mark={mark?.info.region} />
        <div>
          <h2 id="detail-title">Example #{index}</h2>
          <p>Label <strong>{label}</strong> · predicted <strong className={correct ? 'ok' : 'bad'}>{predicted}</strong> {correct ? '(correct)' : '(wrong)'}</p>
          <p><Term id="margin">Margin</Term>: <strong data-testid="selected-margin">{fixed(run.baseOutputs[selected])}</strong></p>
          {mark && <p className="subset-note" data-testid="selected-subset" title={mark.info.description}>In the subset “{mark.subset}”: it carries {mark.info.description.split(':')[0]} (outlined).</p>}
        </div>
      </div>
    </section>
  );
}
