/**
 * `coar edit`: COAR-Edit from the command line — rank components by the Welch score between target
 * and reference attributions, ablate the top k (or search the smallest k for a goal), and print
 * the before/after numbers, actual and COAR-predicted. --save-model writes the edited model.
 */
import { createSession, disposeSession, runBaseOutputs } from '../coar/ablate';
import { componentNames } from '../coar/components';
import { CoarError } from '../coar/errors';
import { DEFAULT_DAMAGE_BUDGET, defaultGoalMaxK, evaluateEdit, GOAL_DIRECTION, judgeEdit, rankComponents, searchSmallestK, type EditGoal, type EditProblem, type EvaluationSet } from '../coar/edit-outcome';
import { inputTensor } from '../coar/dataset';
import { runAttributions } from '../coar/heldout';
import { checkRunMatches } from '../coar/run-merge';
import { sessionFor } from '../coar/run';
import { selectExamples, targetMembership } from '../coar/selection';
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
  const ctx = { examples: run.settings.examples, labels: run.labels, baseMargins: run.baseOutputs, classNames: ws.data.meta.classNames, subsets: ws.data.meta.subsets };
  const target = selectExamples(o.target, ctx);
  const reference = selectExamples(o.reference ?? 'rest', ctx, target);
  const goal = o.goal === undefined ? undefined : parseChoice('goal', o.goal, ['fix', 'forget', 'backdoor'] as const, 'fix');
  const direction = goal ? GOAL_DIRECTION[goal] : parseChoice('direction', o.direction, ['raise', 'lower'] as const, 'raise');
  const budgetPoints = parseNumber('damage-budget', o['damage-budget'], 100 * DEFAULT_DAMAGE_BUDGET);
  if (!(budgetPoints >= 0 && budgetPoints <= 100)) throw new CoarError(`--damage-budget is in accuracy points, from 0 to 100 (got ${o['damage-budget']}).`, 'usage');

  // Accuracy beyond the run: the data set without the targets; for a subset target (e.g.
  // subset:triggered), the subset itself is the target's wider population.
  const all = Array.from({ length: ws.data.meta.count }, (_, i) => i);
  const { inTarget, subset } = targetMembership(o.target, target, ctx);
  const evaluationSet = async (indices: number[]): Promise<EvaluationSet> => {
    const s = createSession(ws.model, ws.components, inputTensor(ws.data, indices), Int32Array.from(indices, (i) => ws.data.labels[i]), run.settings.ablation, 'margin', run.settings.scores);
    return { session: s, baseMargins: await runBaseOutputs(s) };
  };
  const session = sessionFor(ws.model, ws.components, ws.data, run.settings);
  const problem: EditProblem = {
    session, baseMargins: run.baseOutputs, attributions: runAttributions(run), target, reference, direction,
    evaluation: await evaluationSet(all.filter((i) => !inTarget(i))),
    ...(subset ? { targetEvaluation: await evaluationSet(all.filter(inTarget)) } : {}),
  };
  const names = componentNames(run);
  const result = goal
    ? await searchSmallestK(problem, goal as EditGoal, parseInteger('max-k', o['max-k'], defaultGoalMaxK(goal, run.componentCount)))
    : { outcome: await evaluateEdit(problem, rankComponents(problem).slice(0, parseInteger('k', o.k))) };
  const { outcome } = result;
  if (o['save-model']) {
    const { model } = await modelWithAblatedWeights(ws.model, ws.components, outcome.components, run.settings.ablation);
    await saveModel(model, o['save-model']);
  }
  for (const s of [session, problem.evaluation?.session, problem.targetEvaluation?.session]) if (s) disposeSession(s);
  // A goal counts as reached only within the damage budget outside the target (as on the page).
  const judged = goal ? judgeEdit('reached' in result && result.reached, outcome, budgetPoints / 100) : null;
  const report = {
    ...result, outcome: undefined, ...outcome, componentNames: outcome.components.map((i) => names[i]), targetExamples: target.map((j) => run.settings.examples[j]),
    ...(judged ? { verdict: judged.verdict, damage: judged.damage, damageBudget: budgetPoints / 100 } : {}),
  };
  delete report.outcome;
  if (o.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
  process.stdout.write(`${goal ? `goal ${goal}: ${'reached' in result && result.reached ? 'reached' : 'NOT reached'} at ` : ''}k = ${outcome.k}: ${report.componentNames.join(', ')}\n`);
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
