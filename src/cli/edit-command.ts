/**
 * `coar edit`: COAR-Edit from the command line — the engine's edit run (src/coar/edit-run.ts, the
 * same as the page's): rank components by the Welch score between target and reference
 * attributions, ablate the top k (or search the smallest k for a goal), and print the before/after
 * numbers, actual and COAR-predicted, judged within the damage budget. --save-model writes the
 * edited model.
 */
import { createSession, disposeSession } from '../coar/ablate';
import { componentNames } from '../coar/components';
import { CoarError } from '../coar/errors';
import { DEFAULT_DAMAGE_BUDGET, GOAL_DIRECTION, judgeEdit } from '../coar/edit-outcome';
import { datasetMargins, runEditAtK, runEditForGoal, type EditRunResult, type EditSource, type GoalRunResult } from '../coar/edit-run';
import { inputTensor, labelsOf } from '../coar/dataset';
import { runAttributions } from '../coar/heldout';
import { checkRunMatches } from '../coar/run-merge';
import { sessionFor } from '../coar/run';
import { modelWithAblatedWeights } from '../coar/weight-edit';
import { saveModel } from '../node/files';
import { parseChoice, parseInteger, parseNumber } from './args';
import { openWorkspace, readRunFile } from './context';
import { dataFlagsOf, runLocations } from './data-source';
import type { CliOptions } from './options';

export async function editCommand(files: string[], o: CliOptions): Promise<void> {
  if (files.length !== 1) throw new CoarError('edit takes one run file: npm run coar -- edit RUN --model M --data D --target SPEC [--reference SPEC] (--k K | --goal fix|forget|backdoor)', 'usage');
  if (!o.target) throw new CoarError('--target is required (e.g. example:12, class:3, misclassified:6, subset:triggered).', 'usage');
  if ((o.k === undefined) === (o.goal === undefined)) throw new CoarError('Give either --k K (ablate the top K) or --goal fix|forget|backdoor (search the smallest k).', 'usage');
  const run = await readRunFile(files[0]);
  // Only what the user passes is opened: a run file's recorded locations are printed, never read.
  const where = runLocations('edit', files[0], run, o);
  const ws = await openWorkspace(where.model, where.data, run.settings.layers, dataFlagsOf(o));
  checkRunMatches(run, { modelFingerprint: ws.modelInfo.fingerprint, dataFingerprint: ws.dataInfo.fingerprint, componentCount: ws.components.count, layers: ws.components.layers });
  if (run.settings.output !== 'margin') throw new CoarError('Edits are judged by the correct-class margin: make the run with --output margin.', 'bad-edit');
  const goal = o.goal === undefined ? undefined : parseChoice('goal', o.goal, ['fix', 'forget', 'backdoor'] as const, 'fix');
  const direction = goal ? GOAL_DIRECTION[goal] : parseChoice('direction', o.direction, ['raise', 'lower'] as const, 'raise');
  const budgetPoints = parseNumber('damage-budget', o['damage-budget'], 100 * DEFAULT_DAMAGE_BUDGET);
  if (!(budgetPoints >= 0 && budgetPoints <= 100)) throw new CoarError(`--damage-budget is in accuracy points, from 0 to 100 (got ${o['damage-budget']}).`, 'usage');

  // Accuracy beyond the run: every image of the data set (the engine leaves the targets out; for
  // a subset target, e.g. subset:triggered, the subset is the target's wider population).
  const all = Array.from({ length: ws.data.meta.count }, (_, i) => i);
  const datasetSession = createSession(ws.model, ws.components, inputTensor(ws.data, all), labelsOf(ws.data, all), run.settings.ablation, 'margin', run.settings.scores);
  const session = sessionFor(ws.model, ws.components, ws.data, run.settings);
  const dataset = datasetMargins(datasetSession);
  const source: EditSource = {
    run, attributions: runAttributions(run), classNames: ws.data.meta.classNames, subsets: ws.data.meta.subsets,
    session: () => session, dataset: () => dataset,
  };
  const spec = { target: o.target, reference: o.reference ?? 'rest', direction };
  const names = componentNames(run);
  let result: EditRunResult;
  let search: GoalRunResult | null = null;
  try {
    if (goal) result = search = await runEditForGoal(source, spec, goal, o['max-k'] === undefined ? undefined : parseInteger('max-k', o['max-k']));
    else result = await runEditAtK(source, spec, parseInteger('k', o.k));
  } finally {
    for (const s of [session, datasetSession]) disposeSession(s);
  }
  const { outcome } = result;
  const reached = search?.reached ?? false;
  if (o['save-model']) {
    const { model } = await modelWithAblatedWeights(ws.model, ws.components, outcome.components, run.settings.ablation);
    await saveModel(model, o['save-model']);
  }
  // A goal counts as reached only within the damage budget outside the target (as on the page).
  const judged = search ? judgeEdit(search.reached, outcome, budgetPoints / 100) : null;
  const report = {
    ...(search ? { goal: search.goal, reached: search.reached, curve: search.curve } : {}),
    ...outcome, componentNames: outcome.components.map((i) => names[i]), targetExamples: result.prepared.targetExamples,
    ...(judged ? { verdict: judged.verdict, damage: judged.damage, damageBudget: budgetPoints / 100 } : {}),
  };
  if (o.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  process.stdout.write(`${goal ? `goal ${goal}: ${reached ? 'reached' : 'NOT reached'} at ` : ''}k = ${outcome.k}: ${report.componentNames.join(', ')}\n`);
  if (judged) {
    const d = judged.damage;
    const where = d.group === 'reference' ? 'the reference examples' : 'the other data-set images';
    const words = { success: 'success', 'over-budget': 'goal met but OVER the damage budget', 'not-reached': 'goal not reached' }[judged.verdict];
    process.stdout.write(`verdict: ${words}: ${where} ${d.drop >= 0 ? 'lose' : 'gain'} ${Math.abs(100 * d.drop).toFixed(1)} accuracy points (${pct(d.accuracyBefore)} → ${pct(d.accuracyAfter)}); budget ${budgetPoints} points\n`);
  }
  const groups = [['target', outcome.target], ['reference', outcome.reference], ['all target', outcome.targetEvaluation], ['all others', outcome.evaluation]] as const;
  for (const [label, g] of groups) {
    if (!g) continue;
    process.stdout.write(`${label.padEnd(10)} n=${String(g.count).padEnd(5)} accuracy ${pct(g.accuracyBefore)} → ${pct(g.accuracyAfter)} (COAR predicts ${pct(g.predictedAccuracyAfter)}); mean margin ${g.meanMarginBefore.toFixed(2)} → ${g.meanMarginAfter.toFixed(2)}\n`);
  }
}
