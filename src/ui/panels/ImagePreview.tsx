/** The images as the model will see them (after resizing and conversion), with their labels and what was changed or skipped. */
import type { ImagesInspection } from '../../worker/protocol/protocol';
import { ExampleImage } from './ExampleImage';
import { int } from '../format/format';

/** Images drawn in the preview grid. */
const SHOWN = 24;

interface Props {
  preview: ImagesInspection;
  /** Why the images' classes do not fit the model's outputs, or null. */
  classMismatch: string | null;
}

export function ImagePreview({ preview: p, classMismatch }: Props) {
  const { dataset: d } = p;
  const shown = Math.min(SHOWN, d.count);
  return (
    <div className="image-preview" data-testid="image-preview" data-count={d.count} data-classes={d.classNames.length}>
      <p>
        <strong>{int(d.count)} images</strong> in {d.classNames.length} classes ({p.format}), at {d.height}×{d.width}×{d.channels}.
      </p>
      {p.conversions.length > 0 && (
        <ul className="conversions" data-testid="image-conversions">{p.conversions.map((c) => <li key={c}>{c}</li>)}</ul>
      )}
      {classMismatch && <p className="bad" role="alert" data-testid="image-class-mismatch">{classMismatch}</p>}
      <ul className="class-counts" data-testid="image-class-counts">
        {d.classNames.map((name, c) => <li key={name}>{name}: {int(p.perClass[c] ?? 0)}</li>)}
      </ul>
      {p.skipped.length > 0 && (
        <p className="skipped" data-testid="image-skipped">
          Skipped {p.skipped.length} file{p.skipped.length === 1 ? '' : 's'} (not PNG/JPEG, or hidden): {p.skipped.slice(0, 8).join(', ')}{p.skipped.length > 8 ? ', …' : ''}
        </p>
      )}
      <div className="preview-grid">
        {Array.from({ length: shown }, (_, i) => {
          const name = d.classNames[d.labels[i]] ?? `class ${d.labels[i]}`;
          return (
            <figure key={i} className="preview-item">
              <ExampleImage dataset={d} index={i} size={56} alt={`Image ${i}: ${name}`} />
              <figcaption>{name}</figcaption>
            </figure>
          );
        })}
      </div>
      {d.count > shown && <p className="muted">The first {shown} of {int(d.count)}.</p>}
    </div>
  );
}
