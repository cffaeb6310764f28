/**
 * A link that names a model URL: the page asks before downloading it, since otherwise it makes
 * no request outside its own site.
 */
interface Props {
  modelUrl: string;
  dataUrl: string | null;
  busy: boolean;
  onAccept: () => void;
  onDismiss: () => void;
}

const hostOf = (url: string) => new URL(url).host;

export function UrlModelConfirm({ modelUrl, dataUrl, busy, onAccept, onDismiss }: Props) {
  const hosts = [...new Set([modelUrl, dataUrl].filter((u): u is string => u !== null).map(hostOf))];
  return (
    <div className="offer" role="region" aria-label="Load a model from another site" data-testid="url-model-confirm">
      <span>
        This link asks to load a model from <strong>{hosts.join(' and ')}</strong>{dataUrl ? ' with its images' : ''}:{' '}
        <code className="url">{modelUrl}</code>. It is downloaded to this browser only, and runs here. Load it?
        {!dataUrl && <span className="muted"> The link names no images (data=…): you will be asked for them.</span>}
      </span>
      <span className="offer-actions">
        <button type="button" className="primary" onClick={onAccept} disabled={busy} data-testid="url-model-accept">Load it</button>{' '}
        <button type="button" onClick={onDismiss} data-testid="url-model-dismiss">No, keep the demo</button>
      </span>
    </div>
  );
}
