/**
 * The user's model on the user's images, right after loading and before any run: accuracy,
 * margins and what they are taken on, the conversions made to the images, a gallery of
 * predictions, and a better class order to accept when the given one looks wrong.
 */
import { APP_CONFIG } from '../../app-config';
import type { DataCheckView, DatasetView } from '../../worker/protocol/protocol';
import { ExampleImage } from './ExampleImage';
import { fixed, int, percent } from '../format/format';
import { Term } from './Term';

/** Images shown in the check's gallery at most. */
const GALLERY_SIZE = APP_CONFIG.ui.dataCheckGallery;
const baseName = (path: string) => path.split('/').pop() ?? path;

interface Props {
  check: DataCheckView;
  dataset: DatasetView;
  /** Reloads the images with these class names (model output order); null when the images cannot be re-read here. */
  onUseOrder: ((classNames: string[]) => void) | null;
  busy: boolean;
  /** Open at first (no run yet). */
  open: boolean;
}

export function DataCheckPanel({ check, dataset, onUseOrder, busy, open }: Props) {
  const m = check.margins;
  const advice = check.labelOrder;
  return (
    <details className="panel data-check" data-testid="data-check" open={open}>
      <summary>
        <h2>Your model on your images</h2>{' '}
        <span data-testid="data-check-accuracy" data-accuracy={check.accuracy}>
          accuracy {percent(check.accuracy)} ({int(check.correct)} of {int(check.count)})
        </span>
      </summary>
      {advice && (
        <div className="message warning" role="alert" data-testid="label-order-warning">
          <p>
            <strong>The class order looks wrong.</strong> With the class names in the order given (or sorted, when none were given),
            the model gets {percent(check.accuracy)} of these images right; with the order below it gets {percent(advice.accuracy)} ({int(advice.correct)} of {int(check.count)}).
            Class names must be listed in the model's output order.
          </p>
          <ol start={0} className="class-order" data-testid="label-order-suggestion">
            {advice.classNames.map((name, i) => <li key={i}>{name}</li>)}
          </ol>
          {onUseOrder
            ? <button type="button" data-testid="label-order-accept" disabled={busy} onClick={() => onUseOrder(advice.classNames)}>Use this order</button>
            : <p>Reopen the model with these class names (under "Open your own model…", "Class names") to use it.</p>}
        </div>
      )}
      {check.looksLikeProbabilities && (
        <p className="message warning" data-testid="probabilities-warning">
          The model's outputs are probabilities (non-negative, summing to 1), so margins are stuck between −1 and 1 and COAR's fit suffers.
          Its softmax could not be found to be bypassed: choose "log of the outputs" under "Margins on" in the run settings.
        </p>
      )}
      <dl className="facts">
        <div><dt>Accuracy</dt><dd>{percent(check.accuracy)}; the most frequent label alone: {percent(check.majorityShare)}</dd></div>
        <div><dt><Term id="margin">Margins</Term></dt><dd data-testid="data-check-margins">mean {fixed(m.mean)}, median {fixed(m.median)}, from {fixed(m.min)} to {fixed(m.max)}; {int(m.negative)} negative (misclassified)</dd></div>
        <div><dt>Margins on</dt><dd data-testid="data-check-scores">{check.scoresNote}</dd></div>
      </dl>
      {check.conversions.length > 0 && (
        <div data-testid="data-check-conversions">
          Converted to the model's input: <ul>{check.conversions.map((c) => <li key={c}>{c}</li>)}</ul>
        </div>
      )}
      <h3 className="data-check-gallery-title">
        The first {int(Math.min(GALLERY_SIZE, check.count))} of your {int(check.count)} images{check.fileNames ? ' (file, label, prediction, margin)' : ' (label, prediction, margin)'}
      </h3>
      <div className="gallery data-check-gallery" data-testid="data-check-gallery">
        {Array.from({ length: Math.min(GALLERY_SIZE, check.count) }, (_, i) => {
          const label = dataset.labels[i];
          const predicted = check.predicted[i];
          const correct = label === predicted;
          const file = check.fileNames?.[i] ?? null;
          return (
            <figure key={i} className={`gallery-item${correct ? '' : ' wrong'}`} data-testid={`data-check-item-${i}`} data-file={file ?? ''} title={file ?? `image ${i}`}>
              <ExampleImage dataset={dataset} index={i} size={48} alt={`${file ? baseName(file) : `Image ${i}`}: ${dataset.classNames[label]}`} />
              <figcaption className="caption">
                <span className="file-name">{file ? baseName(file) : `#${i}`}</span>
                <span className="label">{dataset.classNames[label]}</span>
                <span className={`prediction${correct ? '' : ' wrong'}`}>{correct ? '✓' : `✗ ${dataset.classNames[predicted] ?? predicted}`}</span>
                <span className="margin">margin {fixed(check.exampleMargins[i], 1)}</span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </details>
  );
}
