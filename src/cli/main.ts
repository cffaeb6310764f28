/**
 * coar — the COAR engine on the command line (Node, tfjs wasm backend by default).
 *   coar run    --model M --data D [--examples 64] [--alpha 0.05] [--masks 600] [--val-masks 100]
 *               [--seed 0] [--layers a,b] [--ablation zero-weights|zero-output|mean]
 *               [--output margin|logit|logprob] [--sampling bernoulli|exact] [--shard i/k] --out RUN
 *   coar eval   RUN [--alphas 0.025,0.05,0.1] [--masks 100] [--baselines loo,gradxparam]
 *               [--mask-curve auto|100,200,400] [--json]
 *   coar export RUN --format npy|csv --out FILE
 *   coar merge  RUN RUN... --out RUN
 *   coar edit   RUN --target SPEC [--reference rest] (--k K | --goal fix|forget|backdoor [--max-k M])
 *               [--save-model DIR] [--json]
 * Results go to stdout (JSON where asked), progress to stderr.
 */
import { parseArgs } from 'node:util';
import { CoarError } from '../coar/errors';
import { initNodeBackend, type NodeBackend } from '../node/backend';
import { runCommand } from './run-command';
import { evalCommand } from './eval-command';
import { exportCommand, mergeCommand } from './file-commands';
import { editCommand } from './edit-command';

const USAGE = `usage: npm run coar -- <command> [options]
  run     sample ablations and fit attributions   (run --help for options)
  eval    held-out correlation at several alphas, with baselines
  export  attributions as .npy or .csv
  merge   combine shards of one run
  edit    COAR-Edit: ablate the top-k components for a target (or search k for a goal)`;

const OPTIONS = {
  model: { type: 'string' }, data: { type: 'string' }, examples: { type: 'string' }, alpha: { type: 'string' },
  masks: { type: 'string' }, 'val-masks': { type: 'string' }, seed: { type: 'string' }, layers: { type: 'string' },
  ablation: { type: 'string' }, output: { type: 'string' }, sampling: { type: 'string' }, shard: { type: 'string' },
  out: { type: 'string' }, alphas: { type: 'string' }, baselines: { type: 'string' }, json: { type: 'boolean' },
  format: { type: 'string' }, backend: { type: 'string' }, route: { type: 'string' }, help: { type: 'boolean' },
  target: { type: 'string' }, reference: { type: 'string' }, k: { type: 'string' }, goal: { type: 'string' },
  'max-k': { type: 'string' }, 'mask-curve': { type: 'string' }, direction: { type: 'string' }, 'save-model': { type: 'string' },
} as const;

export type CliOptions = ReturnType<typeof parseCli>['values'];

function parseCli(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (e) {
    throw new CoarError(`${(e as Error).message}\n${USAGE}`, 'usage');
  }
  const [command, ...files] = parsed.positionals;
  if (!command || parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const backend = (parsed.values.backend ?? 'wasm') as NodeBackend;
  if (backend !== 'wasm' && backend !== 'cpu') throw new CoarError(`--backend must be wasm or cpu (got "${backend}").`, 'usage');
  await initNodeBackend(backend);
  switch (command) {
    case 'run': return runCommand(parsed.values);
    case 'eval': return evalCommand(files, parsed.values);
    case 'export': return exportCommand(files, parsed.values);
    case 'merge': return mergeCommand(files, parsed.values);
    case 'edit': return editCommand(files, parsed.values);
    default: throw new CoarError(`Unknown command "${command}".\n${USAGE}`, 'usage');
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof CoarError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = 1;
  }
});
