/** The image-import form's choices, and the worker's ImagesInput they make (or why they make none). */
import type { Normalization } from '../../coar/dataset';
import { parseClassNames } from '../../coar/image-labels';
import { parseNormalization } from '../../coar/normalization';
import type { ImagesInput } from '../../worker/protocol/protocol';
import type { PickedFile } from './picked-files';

export type LabelKind = 'folder' | 'prefix' | 'csv';
export type NormalizeKind = Normalization['kind'];

export interface ImageOptions {
  labels: LabelKind;
  separator: string;
  /** The label CSV's text and file name, once one is picked. */
  csv: { name: string; text: string } | null;
  normalize: NormalizeKind;
  /** Comma-separated, one value or one per channel, on the 0–1 pixel scale. */
  mean: string;
  std: string;
  /** One class name per line; empty: the sorted label names. */
  classNames: string;
  name: string;
}

export const DEFAULT_IMAGE_OPTIONS: ImageOptions = {
  labels: 'folder', separator: '_', csv: null, normalize: '0-1', mean: '0.5', std: '0.5', classNames: '', name: '',
};

/** Picked image files, or the URL of a data set in the bundled format. */
export type ImagesPick = { kind: 'files'; files: PickedFile[]; folder: string | null } | { kind: 'url'; url: string };

function normalization(o: ImageOptions): Normalization {
  return o.normalize === 'mean-std' ? parseNormalization('mean-std', o.mean, o.std) : parseNormalization(o.normalize);
}

/** The request's images, or a message saying what to fix first. */
export function imagesInput(pick: ImagesPick, o: ImageOptions): { input: ImagesInput } | { problem: string } {
  if (pick.kind === 'url') return { input: { kind: 'url', url: pick.url } };
  try {
    if (o.labels === 'csv' && !o.csv) return { problem: 'Choose the label CSV file ("file,label" rows), or read the labels another way.' };
    const labels = o.labels === 'csv' ? { kind: 'csv' as const, text: o.csv!.text } : o.labels === 'prefix' ? { kind: 'prefix' as const, separator: o.separator || '_' } : { kind: 'folder' as const };
    const classNames = o.classNames.trim() ? parseClassNames(o.classNames) : null;
    const name = o.name.trim() || pick.folder || 'my-images';
    return { input: { kind: 'files', files: pick.files, labels, normalize: normalization(o), classNames, name } };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}
