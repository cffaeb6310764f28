/**
 * Live run: settings, Start / Cancel, progress, and the result (mean held-out correlation).
 * After a cancel (or for a stored run that stopped early), the masks done can be fitted or the
 * run resumed. Runs can be saved to files and read back.
 */
import type { LiveRunRequestSettings, ModelLayerInfo, RunSlot, RunView, SampleDone } from '../../worker/protocol/protocol';
import { ExportMenu } from './ExportMenu';
import { fixed, int, percent } from '../format/format';
import { RunProgress } from './RunProgress';
import { Term } from './Term';
import { RunSettingsForm } from './RunSettingsForm';
import type { UrlPresets } from '../state/url-state';
import type { ExportKind, RunJob } from '../state/use-explorer';

interface Props {
  modelLayers: ModelLayerInfo[];
  datasetCount: number;
  presets: UrlPresets['settings'];
  sizedByAddress: UrlPresets['sizedByAddress'];
  /** Pairs per second timed on a few masks after loading, for an estimate before the first run. */
  estimatedRate: number | null;
  ready: boolean;
  job: RunJob | null;
  partial: SampleDone | null;
  /** The last sampling job that ran to its end. */
  finished: SampleDone | null;
  live: RunView | null;
  shown: RunSlot | null;
  hasDemo: boolean;
  onStart: (settings: LiveRunRequestSettings) => void;
  onCancel: () => void;
  onResume: () => void;
  onFit: () => void;
  onShow: (slot: RunSlot) => void;
  onExport: (slot: RunSlot) => void;
  onExportAttributions: (slot: RunSlot, format: 'npy' | 'csv') => void;
  onImport: (file: File) => void;
  /** The run file or attributions being prepared for download, or null. */
  exporting: ExportKind | null;
  onInvalid: (message: string) => void;
  onSettings: (settings: LiveRunRequestSettings) => void;
}

export function RunPanel(p: Props) {
  const busy = p.job !== null || !p.ready;
  const rate = p.live?.pairsPerSecond ?? p.partial?.pairsPerSecond ?? p.estimatedRate;
  return (
    <section className="panel run-panel" data-testid="run-panel" aria-labelledby="run-title">
      <h2 id="run-title">Run COAR live in this browser</h2>
      <p className="muted">
        Draws random sets of components to switch off (<Term id="masks" />: each component with probability <Term id="alpha" />), runs the model
        under each set on the chosen examples, then fits one linear model per example (a ridge regression; its penalty, <Term id="ridge-lambda" />,
        is chosen on the <Term id="validation-masks" />, which also measure the <Term id="heldout-correlation" />).
      </p>
      {p.ready ? (
        <RunSettingsForm modelLayers={p.modelLayers} presets={p.presets} sizedByAddress={p.sizedByAddress} datasetCount={p.datasetCount} rate={rate} busy={busy} onStart={p.onStart} onInvalid={p.onInvalid} onSettings={p.onSettings} />
      ) : (
        <p className="muted form-placeholder">The settings appear once the model is loaded.</p>
      )}
      <div className="run-controls">
        <button type="button" onClick={p.onCancel} disabled={!p.job || p.job.cancelling} data-testid="run-cancel">
          {p.job?.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
        <RunProgress progress={p.job?.progress ?? null} active={p.job !== null} estimatedRate={rate} />
      </div>
      <div className="run-outcome" aria-live="polite">
        {p.partial && !p.job && (
          <div className="partial" data-testid="run-partial">
            Stopped with {int(p.partial.trainDone)} / {int(p.partial.trainTotal)} training and {int(p.partial.validationDone)} / {int(p.partial.validationTotal)} validation masks done.{' '}
            <button type="button" onClick={p.onFit} disabled={p.partial.trainDone === 0} data-testid="run-fit">Fit the masks done</button>{' '}
            <button type="button" onClick={p.onResume} data-testid="run-resume">Resume</button>
          </div>
        )}
        {p.live && (
          <div className="live-result">
            <span data-testid="run-correlation" data-value={p.live.validation.mean ?? ''}>
              Mean <Term id="heldout-correlation" />: <strong>{fixed(p.live.validation.mean, 3)}</strong>
            </span>{' '}
            <span className="muted">
              ({int(p.live.labels.length)} examples, {int(p.live.componentCount)} components, {int(p.live.trainDone)} masks
              {p.live.trainDone < p.live.trainTotal ? ` of ${int(p.live.trainTotal)}` : ''}, {int(p.live.validation.count)} held out
              {p.live.pairsPerSecond ? `; ${int(p.live.pairsPerSecond)} pairs/s` : ''}{p.live.fitSeconds !== undefined ? `; fit ${fixed(p.live.fitSeconds, 1)} s` : ''};
              accuracy <span data-testid="run-accuracy" data-value={p.live.accuracy}>{percent(p.live.accuracy)}</span>)
            </span>
            {p.finished && (
              <span className="muted rows-computed" data-testid="run-rows-computed" data-value={p.finished.rowsComputedNow}>
                {' '}{int(p.finished.rowsComputedNow)} mask rows computed now{rowsRestored(p.finished) > 0 ? `; ${int(rowsRestored(p.finished))} were restored from the browser's storage` : ''}.
              </span>
            )}
          </div>
        )}
        <div className="show-switch">
          {p.hasDemo && p.live && <button type="button" aria-pressed={p.shown === 'demo'} onClick={() => p.onShow('demo')} data-testid="show-demo">Show precomputed run</button>}
          {p.live && <button type="button" aria-pressed={p.shown === 'live'} onClick={() => p.onShow('live')} data-testid="show-live">Show live run</button>}
        </div>
      </div>
      <ExportMenu slot={p.shown} busy={busy} ready={p.ready} onExportRun={p.onExport} onExportAttributions={p.onExportAttributions} onImport={p.onImport} exporting={p.exporting} />
    </section>
  );
}

const rowsRestored = (d: SampleDone) => d.trainDone + d.validationDone - d.rowsComputedNow;
