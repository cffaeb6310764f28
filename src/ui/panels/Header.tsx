/** The page's header: what is shown (model, data, run, correlation), the model choice, sharing, and the backend. */
import type { BackendInfo, RunView } from '../../worker/protocol/protocol';
import { BackendBadge } from './BackendBadge';
import { fixed, int } from '../format/format';
import { PresetSwitcher } from './PresetSwitcher';
import type { ShareLink as Link } from '../state/share-url';
import { ShareLink } from './ShareLink';
import type { Loaded } from '../state/use-explorer';
import { Term } from './Term';
import type { PresetName } from '../state/url-state';

interface Props {
  loaded: Loaded | null;
  run: RunView | null;
  preset: PresetName;
  backend: BackendInfo | null;
  /** Why the model cannot be changed now, or null. */
  busy: string | null;
  onSwitch: (name: PresetName) => void;
  /** Null when the link hides "open your own model" / sharing. */
  onOpenOwn: (() => void) | null;
  makeLink: (() => Link) | null;
  /** Shows the guided steps again (null while they are shown). */
  onShowGuide: (() => void) | null;
}

export function Header({ loaded, run, preset, backend, busy, onSwitch, onOpenOwn, makeLink, onShowGuide }: Props) {
  return (
    <header className="top">
      <div className="top-row">
        <h1>COAR Explorer</h1>
        <div className="top-actions">
          <PresetSwitcher preset={preset} custom={loaded?.source.kind === 'custom' ? loaded.modelName : null} busy={busy} onSwitch={onSwitch} />
          {onOpenOwn && <button type="button" onClick={onOpenOwn} data-testid="open-own">Open your own model…</button>}
          {makeLink && <ShareLink makeLink={makeLink} />}
          {onShowGuide && <button type="button" onClick={onShowGuide} data-testid="guide-open">Show the steps</button>}
        </div>
      </div>
      <div className="top-row">
        <p className="subtitle">
          {loaded ? <>{loaded.modelName} · {loaded.dataset.name} ({int(loaded.dataset.count)} images)</> : 'Loading…'}
          {run && <> · <span title={run.source}>showing the {run.slot === 'demo' ? 'precomputed' : 'live'} run</span>{run.validation.mean !== null && <>, mean <Term id="heldout-correlation" /> <strong data-testid="shown-correlation">{fixed(run.validation.mean, 3)}</strong></>}</>}
        </p>
        <BackendBadge backend={backend} />
      </div>
    </header>
  );
}
