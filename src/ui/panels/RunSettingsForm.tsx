/** The live-run settings: layers, alpha, masks, validation masks, examples, ablation kind, seed. */
import { useEffect, useState, type FormEvent } from 'react';
import { ABLATION_KIND_SPECS, type AblationKind } from '../../coar/ablation-kinds';
import { SCORE_CHOICES, SCORE_LABELS, type ScoreChoice } from '../../coar/scores';
import type { LiveRunRequestSettings, ModelLayerInfo } from '../../worker/protocol/protocol';
import { duration, int } from '../format/format';
import { Term } from './Term';
import type { UrlPresets } from '../state/url-state';
import { liveRunProblems } from '../../worker/jobs/run-request-checks';
import { componentsOffPerMask, suggestedAlpha, suggestedMasks, tooFewMasksWarning } from '../../coar/run-defaults';

interface Props {
  modelLayers: ModelLayerInfo[];
  presets: UrlPresets['settings'];
  /** Whether the address named alpha / masks (else they are proposed from the model's size). */
  sizedByAddress: UrlPresets['sizedByAddress'];
  datasetCount: number;
  /** Last measured rate (pairs/s), for the time estimate. */
  rate: number | null;
  busy: boolean;
  onStart: (settings: LiveRunRequestSettings) => void;
  /** Called instead of onStart when the settings are not valid, with the reasons. */
  onInvalid: (message: string) => void;
  /** Hears the settings as they are edited (the share link carries them). */
  onSettings?: (settings: LiveRunRequestSettings) => void;
}

export function RunSettingsForm({ modelLayers, presets, sizedByAddress, datasetCount, rate, busy, onStart, onInvalid, onSettings }: Props) {
  const [layers, setLayers] = useState<string[]>(() => presets.layers?.filter((l) => modelLayers.some((m) => m.name === l)) ?? modelLayers.map((l) => l.name));
  const initialN = modelLayers.filter((l) => layers.includes(l.name)).reduce((s, l) => s + l.count, 0);
  const [alpha, setAlpha] = useState(String(sizedByAddress.alpha ? presets.alpha : suggestedAlpha(initialN)));
  const [trainMasks, setTrainMasks] = useState(String(sizedByAddress.trainMasks ? presets.trainMasks : suggestedMasks(initialN)));
  const [valMasks, setValMasks] = useState(String(presets.valMasks));
  const [examples, setExamples] = useState(String(Math.min(presets.exampleCount, datasetCount)));
  const [seed, setSeed] = useState(String(presets.seed));
  const [ablation, setAblation] = useState<AblationKind>(presets.ablation);
  const [scores, setScores] = useState<ScoreChoice>('auto');

  const settings: LiveRunRequestSettings = {
    layers, alpha: Number(alpha), trainMasks: Number(trainMasks), valMasks: Number(valMasks),
    exampleCount: Number(examples), seed: Number(seed), ablation, scores,
  };
  useEffect(() => {
    onSettings?.({ layers, alpha: Number(alpha), trainMasks: Number(trainMasks), valMasks: Number(valMasks), exampleCount: Number(examples), seed: Number(seed), ablation });
  }, [onSettings, layers, alpha, trainMasks, valMasks, examples, seed, ablation]);
  // The same checks, in the same words, as the worker's (LIMITS on masks, examples and outputs).
  const problems = [
    ...liveRunProblems(settings, datasetCount),
    layers.length === 0 && 'choose at least one layer',
  ].filter(Boolean) as string[];
  const components = modelLayers.filter((l) => layers.includes(l.name)).reduce((s, l) => s + l.count, 0);
  const pairs = (settings.trainMasks + settings.valMasks) * settings.exampleCount;
  const off = componentsOffPerMask(components, settings.alpha);
  const fewMasks = tooFewMasksWarning(components, settings.trainMasks);
  const suggestion = { alpha: suggestedAlpha(components), masks: suggestedMasks(components) };
  const followsSuggestion = settings.alpha === suggestion.alpha && settings.trainMasks === suggestion.masks;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (problems.length) onInvalid(`Cannot start the run: ${problems.join('; ')}.`);
    else onStart(settings);
  };
  const toggleLayer = (name: string) => setLayers((ls) => (ls.includes(name) ? ls.filter((l) => l !== name) : modelLayers.map((l) => l.name).filter((l) => l === name || ls.includes(l))));

  return (
    <form className="run-form" onSubmit={submit} noValidate>
      <fieldset className="layers" disabled={busy}>
        <legend>Layers to study ({components.toLocaleString('en-US')} components)</legend>
        {modelLayers.map((l) => (
          <label key={l.name} className="layer-choice">
            <input type="checkbox" checked={layers.includes(l.name)} onChange={() => toggleLayer(l.name)} data-testid={`run-layer-${l.name}`} />
            {l.name} <span className="muted">({l.count})</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="numbers" disabled={busy}>
        <legend>Sampling</legend>
        <label><span><Term id="alpha" /> (share switched off)</span> <input type="number" step="0.01" min="0.01" max="0.99" value={alpha} onChange={(e) => setAlpha(e.target.value)} data-testid="run-alpha" /></label>
        <label><Term id="masks" /> <input type="number" min="1" step="1" value={trainMasks} onChange={(e) => setTrainMasks(e.target.value)} data-testid="run-masks" /></label>
        <label><Term id="validation-masks" /> <input type="number" min="0" step="1" value={valMasks} onChange={(e) => setValMasks(e.target.value)} data-testid="run-val-masks" /></label>
        <label>examples (first N) <input type="number" min="1" max={datasetCount} step="1" value={examples} onChange={(e) => setExamples(e.target.value)} data-testid="run-examples" /></label>
        <label><Term id="ablation-kind" />
          <select value={ablation} onChange={(e) => setAblation(e.target.value as AblationKind)} data-testid="run-ablation">
            {ABLATION_KIND_SPECS.map((k) => <option key={k.id} value={k.id}>{k.id}: {k.help}</option>)}
          </select>
        </label>
        <label><Term id="scores" />
          <select value={scores} onChange={(e) => setScores(e.target.value as ScoreChoice)} data-testid="run-scores" title={scores === 'auto' ? undefined : SCORE_LABELS[scores]}>
            {SCORE_CHOICES.map((k) => <option key={k} value={k}>{k === 'auto' ? 'auto (logits; a final softmax bypassed)' : k}</option>)}
          </select>
        </label>
        <label><Term id="seed" /> <input type="number" min="0" step="1" value={seed} onChange={(e) => setSeed(e.target.value)} data-testid="run-seed" /></label>
      </fieldset>
      <p className="run-sizing" data-testid="run-sizing" data-components={components} data-off={off.mean.toFixed(1)}>
        Each mask switches off about {int(off.mean)} ± {int(off.sd)} of the {int(components)} components.{' '}
        {followsSuggestion ? 'alpha and masks are those suggested for this size.' : (
          <>For {int(components)} components: alpha {suggestion.alpha}, {int(suggestion.masks)} masks{' '}
            <button type="button" disabled={busy} data-testid="run-use-suggested"
              onClick={() => { setAlpha(String(suggestion.alpha)); setTrainMasks(String(suggestion.masks)); }}>use these</button>
          </>
        )}
      </p>
      {fewMasks && <p className="message warning" data-testid="run-few-masks">{fewMasks}</p>}
      <div className="run-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="run-start">Start run</button>
        <span className={`estimate${problems.length ? ' invalid' : ''}`} data-testid="run-estimate">
          {problems.length
            ? `Cannot start: ${problems.join('; ')}.`
            : <>{int(pairs)} samples: <Term id="pairs" /> to run, {rate ? <>about <strong data-testid="run-estimate-time">{duration(pairs / rate)}</strong> at {int(rate)} pairs/s.</> : <>the time is being estimated (timing this model on a few masks)…</>}</>}
        </span>
      </div>
    </form>
  );
}
