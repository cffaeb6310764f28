/** Where the model comes from: model.json and its weight files picked together, or the URL of a model.json. */
import { useState, type FormEvent } from 'react';
import type { ModelInput, Progress } from '../../worker/protocol/protocol';
import { fromInput, isModelFile } from '../state/picked-files';
import { typedUrl } from '../state/typed-url';

interface Props {
  label: string | null;
  busy: Progress | null;
  onPick: (input: ModelInput, label: string) => void;
}

export function ModelSource({ label, busy, onPick }: Props) {
  const [url, setUrl] = useState('');
  const [urlProblem, setUrlProblem] = useState<string | null>(null);
  const submitUrl = (event: FormEvent) => {
    event.preventDefault();
    if (!url.trim()) return;
    const typed = typedUrl(url, 'a model.json');
    setUrlProblem(typed.problem);
    if (typed.url) onPick({ kind: 'url', url: typed.url }, typed.url);
  };
  return (
    <div className="source-choices">
      <label className="file-choice">
        <span>model.json with its weight files (.bin), all at once:</span>
        <input
          type="file" multiple accept=".json,.bin,application/json,application/octet-stream" data-testid="model-files"
          onChange={(e) => {
            const files = fromInput(e.target.files);
            if (files.length) onPick({ kind: 'files', files: files.map((f) => f.file) }, files.map((f) => f.path).join(', '));
            e.target.value = '';
          }}
        />
      </label>
      <label className="file-choice">
        <span>or the folder that holds them (the model is named after it):</span>
        <input
          type="file" {...{ webkitdirectory: '', directory: '' }} data-testid="model-folder"
          onChange={(e) => {
            const picked = fromInput(e.target.files).filter((f) => isModelFile(f.path));
            const folder = picked[0]?.root;
            if (picked.length) onPick({ kind: 'files', files: picked.map((f) => f.file), ...(folder ? { folder } : {}) }, `${folder ?? 'folder'}: ${picked.map((f) => f.path).join(', ')}`);
            e.target.value = '';
          }}
        />
      </label>
      <form className="url-choice" onSubmit={submitUrl} noValidate>
        <label>or a URL: <input type="url" value={url} onChange={(e) => { setUrl(e.target.value); setUrlProblem(null); }} placeholder="https://…/model.json" data-testid="model-url" /></label>{' '}
        <button type="submit" disabled={!url.trim()} data-testid="model-url-load">Read</button>
        {urlProblem && <p className="bad" role="alert" data-testid="model-url-problem">{urlProblem}</p>}
      </form>
      <p className="pick-status" aria-live="polite">
        {busy ? <><span className="spinner" aria-hidden /> {busy.stage}…</> : label ? <>Model: <span className="muted">{label}</span></> : null}
      </p>
    </div>
  );
}
