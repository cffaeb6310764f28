/**
 * One COAR-Edit start to finish (src/coar/edit-run.ts), the orchestration `coar edit` and the
 * worker's edit jobs share: on the bundled demo and its shipped run, the same numbers as the
 * engine's building blocks, progress and cancellation through the hooks, and the page's
 * "top k for this example" ranking.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, disposeSession, runBaseOutputs, type AblationSession } from '../../src/coar/ablate';
import { discoverComponents, type ComponentIndex } from '../../src/coar/components';
import { inputTensor, labelsOf, type ImageDataset } from '../../src/coar/dataset';
import { suggestComponents, topComponents, welchScores } from '../../src/coar/edit';
import { marginsWithAblated, searchSmallestK } from '../../src/coar/edit-outcome';
import { datasetMargins, prepareEdit, runEditAtK, runEditForGoal, type EditProgress, type EditSource } from '../../src/coar/edit-run';
import { runAttributions } from '../../src/coar/heldout';
import { keepVector, predictWithKeep } from '../../src/coar/predict';
import { sessionFor } from '../../src/coar/run';
import { decodeRunFile, type RunData } from '../../src/coar/runfile';
import { selectExamples } from '../../src/coar/selection';
import { loadDatasetDir } from '../../src/node/dataset-files';
import { loadModel } from '../../src/node/files';

let components: ComponentIndex;
let data: ImageDataset;
let run: RunData;
let session: AblationSession;
let datasetSession: AblationSession;
let source: EditSource;

beforeAll(async () => {
  const model = await loadModel('public/models/fashion-resnet/model.json');
  components = discoverComponents(model);
  data = await loadDatasetDir('public/data/fashion-mnist-test');
  run = decodeRunFile(new Uint8Array(readFileSync('public/runs/fashion-resnet-demo.coar')));
  session = sessionFor(model, components, data, run.settings);
  const all = Array.from({ length: data.meta.count }, (_, i) => i);
  datasetSession = createSession(model, components, inputTensor(data, all), labelsOf(data, all), run.settings.ablation, 'margin', run.settings.scores);
  const dataset = datasetMargins(datasetSession);
  source = {
    run, attributions: runAttributions(run), classNames: data.meta.classNames, subsets: data.meta.subsets,
    session: () => session, dataset: () => dataset,
  };
});

afterAll(() => {
  disposeSession(session);
  disposeSession(datasetSession);
});

describe('an edit run on the demo', () => {
  const spec = { target: 'example:23', reference: 'rest', direction: 'raise' as const };

  it('searches the goal with the engine\'s numbers, reports each step and measures the data set without the target', async () => {
    const stages: EditProgress[] = [];
    let steps = 0;
    const r = await runEditForGoal(source, spec, 'fix', 20, { report: (p) => stages.push(p), step: (fn) => { steps++; return fn(); } });
    expect(r).toMatchObject({ goal: 'fix', maxK: 20, reached: true, datasetCount: 1000 });
    expect(r.outcome.k).toBe(2);
    expect(r.prepared.targetExamples).toEqual([23]);
    expect(r.outcome.reference.count).toBe(63);
    expect(r.outcome.evaluation).toMatchObject({ count: 999, accuracyBefore: 924 / 999, accuracyAfter: 919 / 999 });
    expect(r.outcome.targetEvaluation).toBeNull();
    // The building blocks give the same outcome on the run's examples.
    const search = await searchSmallestK({ session, baseMargins: run.baseOutputs, attributions: runAttributions(run), target: r.prepared.target, reference: r.prepared.reference, direction: 'raise' }, 'fix', 20);
    expect(r.outcome.components).toEqual(search.outcome.components);
    expect(r.outcome.target).toEqual(search.outcome.target);
    expect(r.outcome.reference).toEqual(search.outcome.reference);
    expect(r.curve).toEqual(search.curve);
    // Two steps on the model (the search, the data set); the search's k tried, counted.
    expect(steps).toBe(2);
    expect(stages[0].stage).toMatch(/^Searching the smallest k ≤ 20/);
    expect(stages.filter((s) => s.total !== undefined).map((s) => [s.done, s.total])).toEqual([[0, 20], [1, 20]]);
    expect(stages.at(-1)?.stage).toBe('Measuring the edit on 1,000 data-set images');
    // The top k at the chosen k gives the same outcome, and the data set's base margins are kept.
    const again: EditProgress[] = [];
    const same = await runEditAtK(source, spec, 2, { report: (p) => again.push(p) });
    expect(same.outcome).toEqual(r.outcome);
    expect(again.some((s) => /\(once\)/.test(s.stage))).toBe(false);
  });

  it('measures data-set margins as marginsWithAblated and the unablated run does', async () => {
    const dataset = source.dataset!()!;
    expect(dataset.hasBase).toBe(true);
    const base = await dataset.base();
    expect(Array.from(base)).toEqual(Array.from(await runBaseOutputs(datasetSession)));
    const ablated = [3, 40, 77];
    expect(Array.from(await dataset.withAblated(ablated))).toEqual(Array.from(await marginsWithAblated(datasetSession, components.count, ablated)));
    expect(await dataset.withAblated([])).toBe(base);
    const { predictedClass } = await predictWithKeep(session, keepVector(components.count, []));
    expect(predictedClass.length).toBe(run.labels.length);
  });

  it('stops with "cancelled" when its signal fires, and refuses bad requests', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runEditForGoal(source, spec, 'fix', 20, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(runEditAtK(source, spec, 10_000)).rejects.toThrow(/components would raise the target's margin/);
    await expect(runEditForGoal(source, spec, 'fix', 0)).rejects.toThrow(/largest k to try must be a whole number from 1 to 272/);
    await expect(runEditForGoal(source, spec, 'melt' as never)).rejects.toThrow(/Unknown goal/);
    expect(() => prepareEdit(source, { ...spec, target: 'rest' })).toThrow(/cannot be a target/);
    const sampled = prepareEdit(source, { ...spec, reference: 'sample:10' });
    expect(sampled.reference).toHaveLength(10);
    expect(prepareEdit(source, { ...spec, reference: 'sample:10' }).reference).toEqual(sampled.reference);
  });

  it('without a data set, measures the run\'s examples only', async () => {
    const r = await runEditAtK({ ...source, dataset: undefined }, spec, 1);
    expect(r.datasetCount).toBe(0);
    expect(r.outcome.evaluation).toBeNull();
  });
});

describe('the page\'s top k for one example', () => {
  it('is COAR-Edit with that example against every other, or its own attributions in a run of one', () => {
    const a = runAttributions(run);
    const ctx = { examples: run.settings.examples, labels: run.labels, baseMargins: run.baseOutputs, classNames: data.meta.classNames };
    const j = run.settings.examples.indexOf(23);
    const expected = topComponents(welchScores(a, [j], selectExamples('rest', ctx, [j])), 5, 'raise');
    expect(suggestComponents(a, j, 5, 'raise')).toEqual(expected);
    const one = { componentCount: 3, weights: Float32Array.from([1, -2, 0.5]), bias: Float32Array.from([0]) };
    expect(suggestComponents(one, 0, 2, 'lower')).toEqual([0, 2]);
    expect(suggestComponents(one, 0, 2, 'raise')).toEqual([1]);
  });
});
