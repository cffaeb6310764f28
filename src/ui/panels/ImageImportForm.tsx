/** Which images to explore the model on, and how to read them: labels, normalisation, class names. */
import { useState, type FormEvent } from 'react';
import type { ImageOptions, LabelKind, NormalizeKind } from '../state/image-options';
import { typedUrl } from '../state/typed-url';
import { CLASS_NAMES_FILES, fromInput, LABEL_CSV_NAMES, type PickedFile } from '../state/picked-files';

interface Props {
  options: ImageOptions;
  onChange: (change: Partial<ImageOptions>) => void;
  onFiles: (files: PickedFile[], folder: string | null) => void;
  onUrl: (url: string) => void;
}

/** The folder picker is not in React's typings; browsers have supported it for years. */
const FOLDER_PICKER = { webkitdirectory: '', directory: '' };

const LABEL_HELP: Record<LabelKind, string> = {
  folder: 'sub-folder names (cat/001.png is a cat)',
  prefix: 'file-name prefix (cat_001.png is a cat)',
  csv: 'a CSV file of "file,label" rows',
};

const names = (list: readonly string[]) => list.join(' or ');

const folderOf = (list: FileList | null) => {
  const first = list?.[0]?.webkitRelativePath ?? '';
  return first.includes('/') ? first.slice(0, first.indexOf('/')) : null;
};

export function ImageImportForm({ options: o, onChange, onFiles, onUrl }: Props) {
  const [url, setUrl] = useState('');
  const [urlProblem, setUrlProblem] = useState<string | null>(null);
  const submitUrl = (event: FormEvent) => {
    event.preventDefault();
    if (!url.trim()) return;
    const typed = typedUrl(url, 'a dataset.json');
    setUrlProblem(typed.problem);
    if (typed.url) onUrl(typed.url);
  };
  return (
    <div className="image-import">
      <div className="source-choices">
        <label className="file-choice">
          <span>A folder of images:</span>
          <input type="file" {...FOLDER_PICKER} data-testid="image-folder" onChange={(e) => { onFiles(fromInput(e.target.files), folderOf(e.target.files)); e.target.value = ''; }} />
        </label>
        <label className="file-choice">
          <span>or image files (PNG/JPEG, or dataset.json with its .u8 files):</span>
          <input type="file" multiple accept="image/png,image/jpeg,.csv,.txt,.json,.u8" data-testid="image-files" onChange={(e) => { onFiles(fromInput(e.target.files), null); e.target.value = ''; }} />
        </label>
        <form className="url-choice" onSubmit={submitUrl} noValidate>
          <label>or the URL of a dataset.json: <input type="url" value={url} onChange={(e) => { setUrl(e.target.value); setUrlProblem(null); }} placeholder="https://…/dataset.json" data-testid="data-url" /></label>{' '}
          <button type="submit" disabled={!url.trim()} data-testid="data-url-load">Read</button>
          {urlProblem && <p className="bad" role="alert" data-testid="data-url-problem">{urlProblem}</p>}
        </form>
      </div>
      <p className="muted" data-testid="recognised-files">
        Picked with the images, {names(LABEL_CSV_NAMES)} is read as the label CSV and {names(CLASS_NAMES_FILES)} as the class names (names in any case);
        other files that are not images are skipped. A new pick of images drops what the previous pick's files set.
      </p>
      <fieldset className="import-options">
        <legend>Reading PNG/JPEG images</legend>
        <label>Labels from{' '}
          <select value={o.labels} onChange={(e) => onChange({ labels: e.target.value as LabelKind })} data-testid="label-source">
            {(Object.keys(LABEL_HELP) as LabelKind[]).map((k) => <option key={k} value={k}>{LABEL_HELP[k]}</option>)}
          </select>
        </label>
        {o.labels === 'prefix' && (
          <label>separator <input className="small" value={o.separator} onChange={(e) => onChange({ separator: e.target.value })} data-testid="label-separator" /></label>
        )}
        {o.labels === 'csv' && (
          <label>CSV file <input type="file" accept=".csv,text/csv" data-testid="label-csv"
            onChange={async (e) => { const f = e.target.files?.[0]; if (f) onChange({ csv: { name: f.name, text: await f.text() } }); }} />
          {o.csv && <span className="muted"> {o.csv.name}</span>}</label>
        )}
        <label>Pixels to model input{' '}
          <select value={o.normalize} onChange={(e) => onChange({ normalize: e.target.value as NormalizeKind })} data-testid="normalize">
            <option value="0-1">0 – 1 (pixel / 255)</option>
            <option value="-1-1">−1 – 1 (pixel / 127.5 − 1)</option>
            <option value="mean-std">(pixel / 255 − mean) / std</option>
          </select>
        </label>
        {o.normalize === 'mean-std' && (<>
          <label>mean <input value={o.mean} onChange={(e) => onChange({ mean: e.target.value })} placeholder="0.485,0.456,0.406" data-testid="normalize-mean" /></label>
          <label>std <input value={o.std} onChange={(e) => onChange({ std: e.target.value })} placeholder="0.229,0.224,0.225" data-testid="normalize-std" /></label>
        </>)}
        <label className="class-names">Class names, one per line, in the model's output order (empty: the label names, sorted)
          <textarea rows={3} value={o.classNames} onChange={(e) => onChange({ classNames: e.target.value })} data-testid="class-names" />
          <input type="file" accept=".txt,text/plain" aria-label="Read class names from a text file" data-testid="class-names-file"
            onChange={async (e) => { const f = e.target.files?.[0]; if (f) onChange({ classNames: await f.text() }); }} />
        </label>
        <label>Data set name <input value={o.name} onChange={(e) => onChange({ name: e.target.value })} placeholder="the folder's name" data-testid="data-name" /></label>
      </fieldset>
    </div>
  );
}
