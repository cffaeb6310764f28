/** Where the model comes from: model.json and its weight files picked together, or the URL of a model.json. */
import { useState, type FormEvent } from 'react';
import type { ModelInput, Progress } from '../worker/protocol';
import { fromInput } from './picked-files';

interface Props {
  label: string | null;
  busy: Progress | null;
  onPick: (input: ModelInput, label: string) => void;
}

export function ModelSource({ label, busy, onPick }: Props) {
  const [url, setUrl] = useState('');
  const submitUrl = (event: FormEvent) => {
    event.preventDefault();
    if (url.trim()) onPick({ kind: 'url', url: url.trim() }, url.trim());
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
      <form className="url-choice" onSubmit={submitUrl}>
        <label>or a URL: <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/model.json" data-testid="model-url" /></label>{' '}
        <button type="submit" disabled={!url.trim()} data-testid="model-url-load">Read</button>
      </form>
      <p className="pick-status" aria-live="polite">
        {busy ? <><span className="spinner" aria-hidden /> {busy.stage}…</> : label ? <>Model: <span className="muted">{label}</span></> : null}
      </p>
    </div>
  );
}
