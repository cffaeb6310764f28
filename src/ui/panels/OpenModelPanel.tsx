/**
 * "Open your own model": a tfjs LayersModel and images, read in this browser (nothing is
 * uploaded). Each step shows what the worker found before anything replaces the shown model.
 */
import { useState, type DragEvent } from 'react';
import { ImageImportForm } from './ImageImportForm';
import { ImagePreview } from './ImagePreview';
import { ModelSource } from './ModelSource';
import { ModelSummaryView } from './ModelSummaryView';
import { fromDrop } from '../state/picked-files';
import type { useOpenModel } from '../state/use-open-model';

interface Props {
  open: ReturnType<typeof useOpenModel>;
  /** Why loading is not possible now (a live run holds the worker), or null. */
  blocked: string | null;
  onClose: () => void;
}

export function OpenModelPanel({ open: m, blocked, onClose }: Props) {
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void fromDrop(event.dataTransfer).then(m.pickDropped);
  };
  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const tooLarge = m.inspection !== null && !m.inspection.memory.fits;
  const why = blocked ?? (tooLarge ? 'This model is too large for this device (see above).' : m.waiting);
  return (
    <section className="panel open-own-panel" data-testid="open-own-panel" aria-labelledby="open-own-title">
      <div className="panel-head">
        <h2 id="open-own-title">Open your own model</h2>
        <button type="button" className="link" onClick={onClose} data-testid="open-own-close">Close</button>
      </div>
      <p className="muted">
        A TensorFlow.js LayersModel (an image classifier) and a few labelled images. Everything is read in this browser and nothing is
        uploaded; the model and images are kept in the browser's storage so that runs on them can be reopened.
      </p>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`} data-testid="model-drop"
        onDragOver={onDragOver} onDragLeave={() => setDragging(false)} onDrop={onDrop}
      >
        Drop model.json with its weight files, and/or a folder of images, here.
      </div>
      <div className="open-own-steps">
        <div className="step">
          <h3>1. Model</h3>
          <ModelSource label={m.model?.label ?? null} busy={m.modelBusy} onPick={m.pickModel} />
          {m.inspection && <ModelSummaryView inspection={m.inspection} />}
        </div>
        <div className="step">
          <h3>2. Images</h3>
          <ImageImportForm options={m.options} onChange={m.changeOptions} onFiles={(files, folder) => void m.pickImages(files, folder)} onUrl={m.pickImagesUrl} />
          <p className="pick-status" aria-live="polite">
            {m.previewBusy ? <><span className="spinner" aria-hidden /> {m.previewBusy.stage}…</>
              : m.problem ? <span className="bad" data-testid="image-problem">{m.problem}</span>
                : m.images && !m.inspection ? 'The preview appears once the model is read (images are resized to its input).'
                  : null}
          </p>
          {m.preview && <ImagePreview preview={m.preview} classMismatch={m.classMismatch} />}
        </div>
      </div>
      <div className="open-own-actions">
        <button type="button" className="primary" onClick={() => void m.explore()} disabled={!m.canLoad || blocked !== null || tooLarge} title={why ?? undefined} data-testid="load-custom">
          Explore this model
        </button>{' '}
        <span className="muted" aria-live="polite" data-testid="load-custom-status">
          {m.loading ? <><span className="spinner" aria-hidden /> {m.loading.stage}…</> : why ?? 'Replaces the model shown; start a run on it below.'}
        </span>
      </div>
    </section>
  );
}
