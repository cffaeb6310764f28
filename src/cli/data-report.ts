/**
 * What the CLI says once data meets a model, before any run: the conversions made to the
 * images, what the margins are taken on, accuracy and margins, and a likely class order when
 * the given one looks wrong (with the --class-names lines to use it).
 */
import { checkData, describeDataCheck, type DataCheck } from '../coar/data-check';
import { CoarError } from '../coar/errors';
import { describeConversion } from '../coar/image-import';
import { describeScores, findFinalActivation, resolveScores, SCORE_CHOICES, scoreSourceProblem, type ScoreSource } from '../coar/scores';
import { parseChoice } from './args';
import type { Workspace } from './context';

/** What the report reads of a workspace. */
type Checked = Pick<Workspace, 'model' | 'components' | 'data' | 'dataReport'>;

/** Examples the check runs on at most (the data set's first ones). */
const CHECK_LIMIT = 5_000;

/** --scores auto|as-is|before-activation|log → the source used for this model. */
export function scoresFor(ws: Pick<Workspace, 'model'>, flag: string | undefined): ScoreSource {
  const final = findFinalActivation(ws.model);
  const source = resolveScores(parseChoice('scores', flag, SCORE_CHOICES, 'auto'), final);
  const problem = scoreSourceProblem(source, final);
  if (problem) throw new CoarError(`--scores ${source}: ${problem}.`, 'usage');
  return source;
}

export interface DataReport {
  scores: ScoreSource;
  scoresNote: string;
  conversions: string[];
  check: DataCheck;
}

/** Runs the data check and writes the report to stderr (progress and notes go there; results to stdout). */
export async function reportData(ws: Checked, scores: ScoreSource, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<DataReport> {
  const scoresNote = describeScores(scores, findFinalActivation(ws.model));
  const conversions = (ws.dataReport?.conversions ?? []).map(describeConversion);
  for (const c of conversions) write(`converted: ${c}`);
  write(`scores: ${scoresNote}`);
  const check = await checkData(ws.model, ws.components, ws.data, { scores, limit: CHECK_LIMIT });
  const classNames = ws.data.meta.classNames;
  const lines = describeDataCheck(check, classNames);
  write(`data: ${lines[0]}${check.count < ws.data.meta.count ? ` (first ${check.count} of ${ws.data.meta.count} images)` : ''}`);
  for (const line of lines.slice(1)) write(line);
  if (check.labelOrder) {
    write('To use that order, save these lines as classes.txt and pass --class-names classes.txt:');
    for (const name of check.labelOrder.classNames) write(`  ${name}`);
  }
  return { scores, scoresNote, conversions, check };
}

/** The parts of the report that go into a command's JSON result. */
export function dataReportJson(r: DataReport) {
  const c = r.check;
  return {
    scores: r.scores,
    scoresNote: r.scoresNote,
    conversions: r.conversions,
    accuracy: c.accuracy,
    checkedExamples: c.count,
    margins: c.margins,
    looksLikeProbabilities: c.looksLikeProbabilities,
    ...(c.labelOrder ? { likelyClassNames: c.labelOrder.classNames, likelyAccuracy: c.labelOrder.accuracy } : {}),
  };
}
