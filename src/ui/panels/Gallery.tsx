/** The run's examples: image, label, prediction and margin. Click or Enter selects one. */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { DatasetView, RunView } from '../../worker/protocol/protocol';
import { ExampleImage } from './ExampleImage';
import { fixed } from '../format/format';
import { markOf } from './subset-marks';

interface Props {
  dataset: DatasetView;
  run: RunView;
  selected: number;
  onSelect: (j: number) => void;
}

export function Gallery({ dataset, run, selected, onSelect }: Props) {
  const list = useRef<HTMLDivElement>(null);
  const n = run.labels.length;

  // The selected example is kept in view inside the gallery (a link's example, arrow keys), without scrolling the page.
  useEffect(() => {
    const box = list.current;
    const item = box?.querySelector<HTMLElement>(`[data-testid="gallery-item-${selected}"]`);
    if (!box || !item) return;
    const b = box.getBoundingClientRect();
    const r = item.getBoundingClientRect();
    // Out of view: brought to the start of the box, where it is also on screen when the box runs past the window.
    if (r.top < b.top || r.bottom > b.bottom) box.scrollTop += r.top - b.top - 4;
    if (r.left < b.left || r.right > b.right) box.scrollLeft += r.left - b.left - 4;
  }, [selected, run]);

  const onKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(n - 1, selected + step));
    onSelect(next);
    list.current?.querySelector<HTMLButtonElement>(`[data-testid="gallery-item-${next}"]`)?.focus({ preventScroll: true });
  };

  return (
    <div className="gallery" ref={list} onKeyDown={onKeyDown} role="listbox" aria-label="Examples of the run" data-testid="gallery">
      {run.examples.map((index, j) => {
        const label = run.labels[j];
        const predicted = run.predictedClass[j];
        const correct = label === predicted;
        const name = dataset.classNames[label];
        const mark = markOf(dataset, index);
        return (
          <button
            key={j}
            type="button"
            role="option"
            aria-selected={j === selected}
            className={`gallery-item${j === selected ? ' selected' : ''}${correct ? '' : ' wrong'}`}
            data-testid={`gallery-item-${j}`}
            onClick={() => onSelect(j)}
            tabIndex={j === selected ? 0 : -1}
            title={`Example #${index}: ${name}, predicted ${dataset.classNames[predicted]}, margin ${fixed(run.baseOutputs[j])}${mark ? ` (${mark.subset})` : ''}`}
            data-subset={mark?.subset}
          >
            <ExampleImage dataset={dataset} index={index} size={64} alt={`Example ${index}: ${name}${mark ? `, ${mark.subset}` : ''}`} mark={mark?.info.region} />
            <span className="caption">
              <span className="label">{name}</span>
              <span className={`prediction${correct ? '' : ' wrong'}`}>{correct ? '✓ correct' : `✗ ${dataset.classNames[predicted]}`}</span>
              <span className="margin">margin {fixed(run.baseOutputs[j], 1)}</span>
              {mark && <span className="subset-tag">{mark.subset}</span>}
            </span>
          </button>
        );
      })}
    </div>
  );
}
