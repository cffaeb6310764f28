/**
 * The page: header (model, sharing, backend), messages and offers, your own model, the explorer
 * views, ablation, COAR-Edit, evaluation, the live run and the saved runs. A link can hide parts.
 */
import { useCallback, useEffect, useState } from 'react';
import { suggestComponents, type EditDirection } from '../coar/edit';
import type { BackendName, LiveRunRequestSettings } from '../worker/protocol/protocol';
import { AblationPanel } from './panels/AblationPanel';
import { AttentionPattern } from './charts/AttentionPattern';
import { BusyIndicator } from './panels/BusyIndicator';
import { DataCheckPanel } from './panels/DataCheckPanel';
import { EditPanel } from './panels/EditPanel';
import { ErrorBanner } from './panels/ErrorBanner';
import { EvaluationViews } from './panels/EvaluationViews';
import { ExampleDetail } from './panels/ExampleDetail';
import { Gallery } from './panels/Gallery';
import { Guide } from './panels/Guide';
import { useGuide } from './state/use-guide';
import { Header } from './panels/Header';
import { HeatmapSection } from './charts/HeatmapSection';
import { Intro } from './panels/Intro';
import { Offers } from './panels/Offers';
import { OpenModelPanel } from './panels/OpenModelPanel';
import { RunPanel } from './panels/RunPanel';
import { RunsList } from './panels/RunsList';
import { Scatter } from './charts/Scatter';
import { ToggleSummary } from './panels/ToggleSummary';
import { shareLink } from './state/share-url';
import { useAblation } from './state/use-ablation';
import { headOf, useAttentionPattern } from './state/use-attention-pattern';
import { useEdit } from './state/use-edit';
import { useEvaluation } from './state/use-evaluation';
import { useExplorer } from './state/use-explorer';
import { useMessages } from './state/use-messages';
import { useOpenModel } from './state/use-open-model';
import { useStoredRuns } from './state/use-stored-runs';
import { useRateEstimate } from './state/use-rate-estimate';
import { useUrlRestore } from './state/use-url-restore';
import { withViewParams } from './state/view-url';
import type { HideKey, UrlPresets } from './state/url-state';
import type { CoarClient } from './state/worker-client';

interface Props {
  client: CoarClient;
  backendOverride: BackendName | null;
  presets: UrlPresets;
  startupProblems: string[];
}

export function App({ client, backendOverride, presets, startupProblems }: Props) {
  const { messages, dropped, push, dismiss } = useMessages();
  const x = useExplorer(client, backendOverride, presets.preset, push);
  const ablation = useAblation(client, x.run, push);
  const edit = useEdit(client, x.run, x.loaded?.dataset ?? null, x.selected, push, presets.view.budget);
  // The heatmap's zoomed layer (by name): kept here so a link can carry it.
  const [zoom, setZoom] = useState<string | null>(null);
  const evaluation = useEvaluation(client, x.run, push);
  const [ownOpen, setOwnOpen] = useState(false);
  // The component clicked last: when it is an attention head, its pattern is shown.
  const [focus, setFocus] = useState<number | null>(null);
  const focusedHead = headOf(x.run, focus);
  const attention = useAttentionPattern(client, x.run, x.selected, ablation.ablated, focusedHead, push);
  const onToggle = useCallback((i: number) => {
    ablation.toggle(i);
    setFocus(i);
  }, [ablation]);
  const own = useOpenModel(client, push, x.loadCustom, useCallback(() => setOwnOpen(false), []));
  const stored = useStoredRuns(client, push, x.ended);
  const rate = useRateEstimate(client, x.loaded?.id ?? null, x.loading === null && x.job === null, presets.settings.exampleCount);
  const [formSettings, setFormSettings] = useState<LiveRunRequestSettings | null>(null);
  const reportChartError = useCallback((message: string) => push('error', message, 'chart'), [push]);
  const shows = (part: HideKey) => !presets.hide.includes(part);
  const guide = useGuide({
    switchedOff: ablation.ablated.length > 0, edited: edit.goal !== null && 'view' in edit.goal, evaluated: evaluation.view !== null, ran: Boolean(x.runs.live),
  });
  const { mark: markGuide } = guide;
  const { setSelected } = x;
  const onPick = useCallback((j: number) => { markGuide('picked'); setSelected(j); }, [markGuide, setSelected]);
  useUrlRestore(presets, { run: x.run, source: x.loaded?.source ?? null, setSelected: x.setSelected, ablate: ablation.change, setMode: x.setMode, setZoom }, push);

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
  // Without layers in the address, a new run studies the shown run's layers (a ViT's run: heads and MLP neurons only).
  const runFormPresets = presets.settings.layers || !run?.settings.layers.length ? presets.settings : { ...presets.settings, layers: run.settings.layers };
  const busy = x.job ? 'A live run is in progress' : x.loading ? 'Loading…' : null;
  const makeLink = () => {
    const link = shareLink(location.origin + location.pathname, {
      source: loaded?.source ?? null, run, selected: x.selected, ablated: ablation.ablated,
      settings: formSettings ?? { ...presets.settings, layers: presets.settings.layers ?? [] },
      modelLayers: loaded?.modelLayers.map((l) => l.name) ?? [], hide: presets.hide,
    });
    // …and the view: heatmap mode, zoomed layer, allowed damage of an edit.
    const view = { mode: x.mode, zoom: run?.layers.some((l) => l.name === zoom) ? zoom : null, budget: edit.budgetValue ?? presets.view.budget };
    return link.url ? { ...link, url: withViewParams(link.url, view) } : link;
  };
  return (
    <div className="app">
      <Header
        loaded={loaded} run={run} preset={x.preset} backend={x.backend} busy={busy} onSwitch={x.switchPreset}
        onOpenOwn={shows('upload') ? () => setOwnOpen((o) => !o) : null} makeLink={shows('share') ? makeLink : null}
        onShowGuide={guide.open ? null : guide.show}
      />
      <main className="page-main">
      <ErrorBanner messages={messages} dropped={dropped} onDismiss={dismiss} />
      <Offers
        presets={presets} explorer={x} initialRuns={stored.initial} offerResume={shows('run')}
        onModelWithoutData={(url) => {
          if (!shows('upload')) return push('warning', 'The link names a model but no images (data=…), and this page hides "Open your own model", where images are chosen.', 'address');
          setOwnOpen(true);
          own.pickModel({ kind: 'url', url }, url);
        }}
      />
      {ownOpen && shows('upload') && <OpenModelPanel open={own} blocked={x.job ? 'A live run is in progress: cancel it first.' : null} onClose={() => setOwnOpen(false)} />}
      <Intro modelName={loaded?.modelName ?? ''} componentCount={run?.componentCount ?? null} hide={presets.hide} />
      {run && loaded && <Guide progress={guide.progress} hide={presets.hide} backdoor={Object.keys(loaded.dataset.subsets).includes('triggered')} open={guide.open} onClose={guide.hide} />}
      {loaded?.dataCheck && (
        <DataCheckPanel
          check={loaded.dataCheck} dataset={loaded.dataset} open={!run} busy={x.loading !== null || x.job !== null}
          onUseOrder={own.model && own.images?.kind === 'files' && loaded.source.kind === 'custom' ? (names) => void own.applyClassOrder(names) : null}
        />
      )}
      {run && loaded ? (
        <div className="explorer">
          <aside className="panel gallery-panel" aria-label="Examples">
            <h2>Examples ({run.labels.length})</h2>
            <Gallery dataset={loaded.dataset} run={run} selected={x.selected} onSelect={onPick} />
          </aside>
          <HeatmapSection run={run} dataset={loaded.dataset} selected={x.selected} mode={x.mode} onMode={x.setMode} ablated={ablation.ablated} onToggle={onToggle} onLook={guide.markRead} zoom={zoom} onZoom={setZoom}>
            {focusedHead && <AttentionPattern run={run} dataset={loaded.dataset} selected={x.selected} focus={focusedHead} view={attention.view} busy={attention.busy} onHead={setFocus} />}
          </HeatmapSection>
          <div className="side-column">
            <ExampleDetail run={run} dataset={loaded.dataset} selected={x.selected} />
            <AblationPanel
              run={run} dataset={loaded.dataset} selected={x.selected}
              ablated={ablation.ablated} result={ablation.result} busy={ablation.busy} runBusy={x.job !== null} canUndo={ablation.canUndo}
              datasetAccuracy={ablation.dataset} datasetBusy={ablation.datasetBusy}
              onRemove={ablation.toggle} onTopK={onTopK} onUndo={ablation.undo} onReset={ablation.reset} onSelect={onPick}
            />
            <section className="panel scatter-panel" aria-label="COAR's predictions for this example">
              <Scatter run={run} selected={x.selected} ablationPoint={ablation.result ? { predicted: ablation.result.predicted[x.selected], actual: ablation.result.actual[x.selected] } : null} />
            </section>
          </div>
          <ToggleSummary run={run} selected={x.selected} ablated={ablation.ablated} result={ablation.result} busy={ablation.busy} />
        </div>
      ) : (
        <div className="explorer placeholder" data-testid="explorer-placeholder" aria-busy={x.loading !== null}>
          <div className="panel loading-panel">
            {x.loading
              ? <p className="loading"><span className="spinner" aria-hidden /> {x.loading.stage}…</p>
              : <p>{loaded ? (shows('run') ? 'No attributions to show yet: start a live run below.' : 'No attributions to show yet (this page hides the live run that computes them).') : 'The demo could not be loaded (see the message above).'}{' '}
                {!loaded && <button type="button" onClick={x.reload}>Try again</button>}</p>}
          </div>
        </div>
      )}
      {run && loaded && shows('edit') && <EditPanel run={run} dataset={loaded.dataset} selected={x.selected} edit={edit} runBusy={x.job !== null} rate={x.runs.live?.pairsPerSecond ?? rate.estimate} />}
      {run && loaded && shows('eval') && <EvaluationViews run={run} modelName={loaded.modelName} evaluation={evaluation} onError={reportChartError} rate={x.runs.live?.pairsPerSecond ?? rate.estimate} />}
      {shows('run') && (
        <RunPanel
          key={loaded?.id ?? 0}
          modelLayers={loaded?.modelLayers ?? []} datasetCount={loaded?.dataset.count ?? 0} presets={runFormPresets} sizedByAddress={presets.sizedByAddress} estimatedRate={rate.estimate}
          ready={loaded !== null && x.loading === null} job={x.job} partial={x.partial} finished={x.finished} live={x.runs.live ?? null} shown={x.shown} hasDemo={Boolean(x.runs.demo)}
          onStart={x.startRun} onCancel={x.cancelRun} onResume={x.resumeRun} onFit={x.fitPartial} onShow={x.show} onExport={x.exportRun}
          onExportAttributions={x.exportAttributions} onImport={x.importRun} exporting={x.exporting}
          onInvalid={(message) => push('error', message, 'bad-settings')} onSettings={setFormSettings}
        />
      )}
      {shows('runs') && (
        <RunsList
          list={stored.list} busy={busy} currentId={x.runs.live?.storedId ?? null}
          onOpen={(meta) => void x.openStored(meta, false)} onRename={stored.rename} onDelete={stored.remove}
        />
      )}
      </main>
      <BusyIndicator client={client} />
      <footer className="muted">
        COAR: Shah, Ilyas &amp; Madry, “Decomposing and Editing Predictions by Modeling Model Computation”, ICML 2024.
        Everything runs in your browser; nothing is uploaded.
      </footer>
    </div>
  );
}
