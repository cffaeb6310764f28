/**
 * `coar inspect`: what a model (and optionally a data set) looks like to COAR before a run —
 * layers, input shape, parameters, components, a memory estimate, and the data's classes.
 */
import { checkDatasetFitsModel } from '../coar/dataset';
import { CoarError } from '../coar/errors';
import { estimateRunMemory, formatBytes, summarizeModel } from '../coar/model-summary';
import { ENGINE_TUNING } from '../coar/tuning';
import { loadModel } from '../node/files';
import { discoverComponents } from '../coar/components';
import { dataFlagsOf, openData } from './data-source';
import { dataReportJson, reportData, scoresFor } from './data-report';
import type { CliOptions } from './options';

export async function inspectCommand(o: CliOptions): Promise<void> {
  if (!o.model) throw new CoarError('--model is required: a model.json path or URL.', 'usage');
  let keras3Changes: string[] = [];
  const model = await loadModel(o.model, (changes) => { keras3Changes = changes; });
  const summary = summarizeModel(model, o.model);
  const memory = estimateRunMemory(summary, ENGINE_TUNING.pairsPerBatch);
  const report: Record<string, unknown> = {
    model: summary,
    keras3Changes,
    memory: { ...memory, peak: formatBytes(memory.peakBytes) },
  };
  if (o.data) {
    const { data, name, report: imported } = await openData(o.data, dataFlagsOf(o), model);
    checkDatasetFitsModel(data, model);
    const ws = { model, components: discoverComponents(model), data, dataReport: imported };
    const dataReport = await reportData(ws, scoresFor(ws, o.scores));
    const { count, height, width, channels, classNames, normalize } = data.meta;
    const perClass = imported?.perClass ?? classNames.map((_, c) => data.labels.reduce((n, l) => n + (l === c ? 1 : 0), 0));
    report.data = {
      name, count, height, width, channels, classNames, normalize, perClass,
      ...(imported ? { resized: imported.resized, convertedChannels: imported.convertedChannels } : {}),
      ...dataReportJson(dataReport),
    };
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}
