/**
 * npm run bench [-- --backend wasm|cpu] [--model M --data D] [--only throughput|fit] — speed figures,
 * not tests. Prints one JSON object:
 * masked-execution throughput against the plain forward (same run, same backend), and the
 * estimator's fit time at N = 2,304, m = 10,000, n = 1,000 (synthetic).
 */
import { parseArgs } from 'node:util';
import { initNodeBackend, type NodeBackend } from '../src/node/backend';
import { benchThroughput } from './throughput';
import { benchFit } from './fit';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, only: { type: 'string' }, model: { type: 'string' }, data: { type: 'string' }, masks: { type: 'string' } } });
await initNodeBackend(values.backend as NodeBackend);
const report: Record<string, unknown> = {};
if (values.only !== 'fit') {
  process.stderr.write('throughput…\n');
  report.throughput = await benchThroughput({ model: values.model, data: values.data, ...(values.masks ? { masks: Number(values.masks) } : {}) });
}
if (values.only !== 'throughput') {
  process.stderr.write('fit (N = 2,304, m = 10,000, n = 1,000)…\n');
  report.fit = await benchFit();
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
