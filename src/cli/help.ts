/** `coar COMMAND --help`: each command's options with their defaults (taken from the engine's declarations). */
import { BASELINE_NAMES } from '../coar/baselines';
import { LIMITS } from '../coar/limits';
import { SCORE_CHOICES } from '../coar/scores';
import { ABLATION_KINDS, DEFAULT_EVAL_MASKS, DEFAULT_SETTINGS, OUTPUT_KINDS, SAMPLING_MODES } from '../coar/settings';

const DATA_FLAGS = `  --labels folder|prefix[:SEP]|csv:FILE   image folder labels (default folder)
  --normalize 0-1|-1-1|mean-std           image pixel scaling (default 0-1)
  --mean LIST --std LIST                  for mean-std: 1 value or 1 per channel, 0-1 scale
  --class-names FILE                      one class per line, in the model's output order`;

const COMMON = `  --backend wasm|cpu                      tfjs backend (default wasm)
  --help                                  this text`;

const RECORDED = `  --model M --data D                      required: the model and data the run was made with.
                                          Locations written in a run file are never opened on their
                                          own; for the recorded --data folder, its recorded import
                                          flags are reused, except files (csv:FILE, --class-names).`;

const d = DEFAULT_SETTINGS;

/** "  --name a|b|c                          (default a)", the description column kept where it fits. */
const choice = (name: string, values: readonly string[], fallback: string) => `${`  --${name} ${values.join('|')}`.padEnd(41)} (default ${fallback})`;

export const COMMAND_HELP: Record<string, string> = {
  run: `usage: npm run coar -- run --model M --data D --out RUN [options]
sample ablations and fit attributions; an existing --out is resumed.
  --model M                               model.json path or http(s) URL (required)
  --data D                                data set folder or image folder (required)
  --out RUN                               run file to write or resume (required)
  --examples N|LIST                       first N examples, or indices like 0-9,20 (default 64; each
                                          once, at most ${LIMITS.examples.toLocaleString('en-US')})
  --alpha A                               fraction of components ablated per mask (default ${d.alpha})
  --masks M                               training masks (default ${d.trainMasks}; 1 to ${LIMITS.masks.toLocaleString('en-US')})
  --val-masks V                           validation masks (default ${d.valMasks}; 0 or at least ${LIMITS.minValidationMasks})
  --seed S                                random seed (default ${d.seed})
  --layers a,b                            layers whose components are studied (default all eligible)
${choice('ablation', ABLATION_KINDS, d.ablation)}
${choice('output', OUTPUT_KINDS, d.output)}
${choice('scores', SCORE_CHOICES, 'auto')}
                                          what margins are taken on: auto = logits (a final softmax
                                          or sigmoid bypassed; log-probabilities when it cannot be)
${choice('sampling', SAMPLING_MODES, d.sampling)}
  --shard i/k                             compute only shard i of k (merge them afterwards)
  --shard auto [--shard-count K]          the shard from a scheduler's array task: a Kubernetes
                                          Indexed Job (JOB_COMPLETION_INDEX; --shard-count K =
                                          completions, required) or a SLURM array
                                          (SLURM_ARRAY_TASK_ID − _MIN of _COUNT; --shard-count, if
                                          given, must agree). docs/SCALE-OUT.md
                                          --out may hold {shard} (1 to k) and {count} (k), e.g.
                                          --out /shards/run-{shard}-of-{count}.coar
  --route per-sample|shared               batch layout (default: chosen by timing)
${DATA_FLAGS}
${COMMON}`,
  eval: `usage: npm run coar -- eval RUN --model M --data D [options]
held-out correlation of the run's attributions at several alphas, with baselines.
${RECORDED}
  --alphas LIST                           alphas to evaluate (default: the run's)
  --masks M                               held-out masks per alpha (default ${DEFAULT_EVAL_MASKS})
  --baselines LIST                        baselines to compare: ${BASELINE_NAMES.join(', ')} (default none)
  --mask-curve auto|LIST                  validation correlation refitting on the first k masks
  --json                                  one JSON object on stdout
${DATA_FLAGS}
${COMMON}`,
  export: `usage: npm run coar -- export RUN --format npy|csv --out FILE
the fitted attributions as .npy (examples × components float32) or .csv.
  --format npy|csv                        (default npy); must agree with the --out extension
  --out FILE                              file to write; never a run file
${COMMON}`,
  merge: `usage: npm run coar -- merge RUN RUN... --out RUN
combine shards of one run (and fit when all masks are done).
  --out RUN                               the merged run file (required)
${COMMON}`,
  edit: `usage: npm run coar -- edit RUN --model M --data D --target SPEC (--k K | --goal fix|forget|backdoor) [options]
COAR-Edit: ablate the top-k components for a target, or search the smallest k for a goal.
${RECORDED}
  --target SPEC                           example:12, class:3, misclassified:6, subset:NAME (required)
  --reference SPEC                        the same, or rest, or sample:S (S of the rest, seeded; default rest)
  --k K | --goal fix|forget|backdoor      ablate the top K, or search k for a goal
  --max-k M                               largest k searched (default: 7.5% of the components for fix,
                                          10% for forget, 5% for backdoor; at least 5)
  --damage-budget POINTS                  accuracy points the examples outside the target may lose
                                          for the goal to count as a success (default 5)
  --direction raise|lower                 with --k (default raise)
  --save-model DIR                        write the edited model there
  --json                                  one JSON object on stdout
${DATA_FLAGS}
${COMMON}`,
  inspect: `usage: npm run coar -- inspect --model M [--data D]
layers, parameters, components, memory estimate (and the data's classes) as JSON.
  --model M                               model.json path or http(s) URL (required)
  --data D                                data set folder or image folder
${DATA_FLAGS}
${COMMON}`,
};
