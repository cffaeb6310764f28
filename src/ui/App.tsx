/** The page: header (preset, backend), messages, the explorer views, ablation, COAR-Edit, evaluation and live run. */
import { useCallback, useEffect } from 'react';
import type { EditDirection } from '../coar/edit';
import type { BackendName } from '../worker/protocol';
import { AblationPanel } from './AblationPanel';
import { BackendBadge } from './BackendBadge';
import { EditPanel } from './EditPanel';
import { ErrorBanner } from './ErrorBanner';
import { EvaluationViews } from './EvaluationViews';
import { ExampleDetail } from './ExampleDetail';
import { fixed, int } from './format';
import { Gallery } from './Gallery';
import { HeatmapSection } from './HeatmapSection';
import { Intro } from './Intro';
import { PresetSwitcher } from './PresetSwitcher';
import { RunPanel } from './RunPanel';
import { suggestComponents, useAblation } from './use-ablation';
import { useEdit } from './use-edit';
import { useEvaluation } from './use-evaluation';
import { useExplorer } from './use-explorer';
import { useMessages } from './use-messages';
import type { UrlPresets } from './url-state';
import type { CoarClient } from './worker-client';

interface Props {
  client: CoarClient;
  backendOverride: BackendName | null;
  presets: UrlPresets;
  startupProblems: string[];
}

export function App({ client, backendOverride, presets, startupProblems }: Props) {
  const { messages, push, dismiss } = useMessages();
  const x = useExplorer(client, backendOverride, presets.preset, push);
  const ablation = useAblation(client, x.run, push);
  const edit = useEdit(client, x.run, x.loaded?.dataset ?? null, x.selected, push);
  const evaluation = useEvaluation(client, x.run, push);
  const reportChartError = useCallback((message: string) => push('error', message, 'chart'), [push]);

  useEffect(() => startupProblems.forEach((p) => push('warning', p, 'address')), [startupProblems, push]);

  const onTopK = useCallback((k: number, direction: EditDirection) => {
    if (!x.run) return;
    try {
      const picked = suggestComponents(x.run, x.selected, k, direction);
      if (picked.length === 0) push('info', `No component would ${direction} this example's margin relative to the others.`, 'topk');
      else ablation.change(picked);
    } catch (e) {
      push('error', (e as Error).message, 'topk');
    }
  }, [x.run, x.selected, ablation, push]);

  const { run, loaded } = x;
  return (
    <div className="app">
      <header className="top">
        <div>
          <h1>COAR Explorer</h1>
          <p className="subtitle">
            {loaded ? <>{loaded.modelName} · {loaded.dataset.name} ({int(loaded.dataset.count)} images)</> : 'Loading…'}
            {run && <> · <span title={run.source}>showing the {run.slot === 'demo' ? 'precomputed' : 'live'} run</span>{run.validation.mean !== null && <>, mean held-out correlation <strong data-testid="shown-correlation">{fixed(run.validation.mean, 3)}</strong></>}</>}
          </p>
        </div>
        <div className="top-right">
          <PresetSwitcher preset={x.preset} busy={x.job ? 'A live run is in progress' : x.loading ? 'Loading…' : null} onSwitch={x.switchPreset} />
          <BackendBadge backend={x.backend} />
        </div>
      </header>
      <ErrorBanner messages={messages} onDismiss={dismiss} />
      <Intro modelName={loaded?.modelName ?? ''} componentCount={run?.componentCount ?? null} />
      {run && loaded ? (
        <main className="explorer">
          <aside className="panel gallery-panel" aria-label="Examples">
            <h2>Examples ({run.labels.length})</h2>
            <Gallery dataset={loaded.dataset} run={run} selected={x.selected} onSelect={x.setSelected} />
          </aside>
          <HeatmapSection run={run} dataset={loaded.dataset} selected={x.selected} mode={x.mode} onMode={x.setMode} ablated={ablation.ablated} onToggle={ablation.toggle} />
          <ExampleDetail run={run} dataset={loaded.dataset} selected={x.selected} ablation={ablation.result} />
        </main>
      ) : (
        <main className="explorer placeholder" data-testid="explorer-placeholder" aria-busy={x.loading !== null}>
          <div className="panel loading-panel">
            {x.loading
              ? <p className="loading"><span className="spinner" aria-hidden /> {x.loading.stage}…</p>
              : <p>{loaded ? 'No attributions to show yet: start a live run below.' : 'The demo could not be loaded (see the message above).'}{' '}
                {!loaded && <button type="button" onClick={x.reload}>Try again</button>}</p>}
          </div>
        </main>
      )}
      {run && loaded && (
        <AblationPanel
          run={run} dataset={loaded.dataset} selected={x.selected}
          ablated={ablation.ablated} result={ablation.result} busy={ablation.busy} runBusy={x.job !== null} canUndo={ablation.canUndo}
          datasetAccuracy={ablation.dataset} datasetBusy={ablation.datasetBusy}
          onRemove={ablation.toggle} onTopK={onTopK} onUndo={ablation.undo} onReset={ablation.reset} onSelect={x.setSelected}
        />
      )}
      {run && loaded && <EditPanel run={run} dataset={loaded.dataset} selected={x.selected} edit={edit} runBusy={x.job !== null} />}
      {run && loaded && <EvaluationViews run={run} modelName={loaded.modelName} evaluation={evaluation} onError={reportChartError} />}
      <RunPanel
        modelLayers={loaded?.modelLayers ?? []} datasetCount={loaded?.dataset.count ?? 0} presets={presets.settings}
        ready={loaded !== null} job={x.job} partial={x.partial} live={x.runs.live ?? null} shown={x.shown} hasDemo={Boolean(x.runs.demo)}
        onStart={x.startRun} onCancel={x.cancelRun} onResume={x.resumeRun} onFit={x.fitPartial} onShow={x.show} onExport={x.exportRun}
        onInvalid={(message) => push('error', message, 'bad-settings')}
      />
      <footer className="muted">
        COAR: Shah, Ilyas &amp; Madry, “Decomposing and Editing Predictions by Modeling Model Computation”, ICML 2024.
        Everything runs in your browser; nothing is uploaded.
      </footer>
    </div>
  );
}
