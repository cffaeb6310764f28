/**
 * coar — the COAR engine on the command line (Node, tfjs wasm backend by default).
 *   coar run    --model M --data D [--examples 64] [--alpha 0.05] [--masks 600] [--val-masks 100]
 *               [--seed 0] [--layers a,b] [--ablation zero-weights|zero-output|mean]
 *               [--output margin|logit|logprob] [--sampling bernoulli|exact]
 *               [--shard i/k | --shard auto [--shard-count K]] --out RUN   (--out may hold {shard}, {count})
 *   coar eval   RUN --model M --data D [--alphas 0.025,0.05,0.1] [--masks 100] [--baselines loo,gradxparam]
 *               [--mask-curve auto|100,200,400] [--json]
 *   coar export RUN --format npy|csv --out FILE
 *   coar merge  RUN RUN... --out RUN
 *   coar edit   RUN --model M --data D --target SPEC [--reference rest] (--k K | --goal fix|forget|backdoor [--max-k M]
 *               [--damage-budget POINTS])
 *               [--save-model DIR] [--json]
 *   coar inspect --model M [--data D]
 * --data is a bundled data set folder (dataset.json) or a folder of PNG/JPEG images, taken with
 * the image flags (see USAGE); runs record them, and eval and edit reuse them for the same folder.
 * Results go to stdout (JSON where asked), progress to stderr.
 */
import { CoarError } from '../coar/errors';
import { initNodeBackend, type NodeBackend } from '../node/backend';
import { runCommand } from './run-command';
import { evalCommand } from './eval-command';
import { exportCommand, mergeCommand } from './file-commands';
import { editCommand } from './edit-command';
import { inspectCommand } from './inspect-command';
import { COMMAND_HELP } from './help';
import { parseCli } from './options';

const USAGE = `usage: npm run coar -- <command> [options]
  run     sample ablations and fit attributions   (COMMAND --help: its options and defaults)
  eval    RUN --model M --data D: held-out correlation at several alphas, with baselines
  export  attributions as .npy or .csv
  merge   combine shards of one run
  edit    RUN --model M --data D: COAR-Edit, ablate the top-k components for a target (or search k for a goal)
  inspect --model M [--data D]: layers, parameters, components, memory estimate (and data classes) as JSON

--data D is a bundled data set folder (dataset.json) or a folder of .png/.jpg/.jpeg images
(searched recursively), resized and converted to the model's input size and channels (1 or 3).
For an image folder:
  --labels folder|prefix[:SEP]|csv:FILE   class from the parent folder (default), the file name
                                          before SEP (default _), or "file,label" rows in FILE
  --normalize 0-1|-1-1|mean-std           pixels/255 (default), pixels/127.5-1, or (pixels/255-mean)/std
                                          (write --normalize=-1-1: a value starting with - needs the =)
  --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225   for mean-std: 1 value or 1 per channel, 0-1 scale
  --class-names FILE                      one class per line, in the model's output order
                                          (default: the labels sorted, numbers numerically)
eval and edit need --model and --data again: locations written in a run file are never opened on
their own. With the recorded --data folder, the recorded flags are reused (flags given override
them), except file paths (csv:FILE, --class-names FILE), which must be given again. Relative paths
resolve from the working directory.`;

async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (e) {
    throw new CoarError(`${(e as Error).message}\n${USAGE}`, 'usage');
  }
  const [command, ...files] = parsed.positionals;
  if (!command || parsed.values.help) {
    process.stdout.write(`${(command && COMMAND_HELP[command]) || USAGE}\n`);
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
    case 'inspect': return inspectCommand(parsed.values);
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
