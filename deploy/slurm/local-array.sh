#!/bin/bash
# The SLURM recipe on one machine, without SLURM: runs coar-array.sbatch once per array task, all
# at once (one core each), with the variables SLURM would set, then coar-merge.sbatch; and, for
# comparison, the same run as one process. Prints the wall and CPU times (docs/SCALE-OUT.md): on a
# machine with other work running, CPU seconds / wall seconds says how much of a core each got.
#
#   SHARDS=2 SHARD_DIR=.cache/scale-out RUN_FLAGS="--examples 0-99 --alpha 0.15 --masks 400 --val-masks 100 --seed 7 --route shared" \
#     deploy/slurm/local-array.sh
#
# SKIP_SINGLE=1 leaves out the one-process run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SHARDS=${SHARDS:-2}
export SHARD_DIR=${SHARD_DIR:-.cache/scale-out}
export MODEL=${MODEL:-public/models/fashion-resnet-paper/model.json}
export DATA=${DATA:-public/data/fashion-mnist-test}
export RUN_FLAGS=${RUN_FLAGS:---examples 0-99 --alpha 0.15 --masks 400 --val-masks 100 --seed 7 --route shared}
export SLURM_SUBMIT_DIR=$PWD
mkdir -p "$SHARD_DIR"
rm -f "$SHARD_DIR"/run-*-of-"$SHARDS".coar "$SHARD_DIR/run.coar" "$SHARD_DIR/single.coar"
now() { date +%s.%N; }
TIMEFORMAT='%R s wall, %U s user + %S s system CPU'   # what `time` writes for each process
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
# One line from a run's JSON summary: pairs done, pairs/s while sampling, the whole process's seconds.
summary() {
  node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const pairs = (j.trainDone + j.validationDone) * j.examples;
    console.log(`${j.shard ?? "whole"}: ${pairs} pairs, ${j.pairsPerSecond} pairs/s sampling, ${j.seconds} s in all (route ${j.route})`);' "$1"
}

start=$(now)
pids=()
for ((task = 0; task < SHARDS; task++)); do
  { time SLURM_ARRAY_JOB_ID=local SLURM_ARRAY_TASK_ID=$task SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=$((SHARDS - 1)) \
      SLURM_ARRAY_TASK_COUNT=$SHARDS SLURM_ARRAY_TASK_STEP=1 \
      bash deploy/slurm/coar-array.sbatch >"$SHARD_DIR/task-$task.json" 2>"$SHARD_DIR/task-$task.log"; } 2>"$SHARD_DIR/task-$task.time" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
shards_done=$(now)
bash deploy/slurm/coar-merge.sbatch >"$SHARD_DIR/merge.json"
merged=$(now)
echo "array: $SHARDS tasks in parallel $(elapsed "$start" "$shards_done") s, merge + fit $(elapsed "$shards_done" "$merged") s, total $(elapsed "$start" "$merged") s"
for ((task = 0; task < SHARDS; task++)); do
  echo "task $task: $(summary "$SHARD_DIR/task-$task.json"); process $(cat "$SHARD_DIR/task-$task.time")"
done
echo "merge: $(cat "$SHARD_DIR/merge.json")"

if [ "${SKIP_SINGLE:-}" != 1 ]; then
  # shellcheck disable=SC2086  # RUN_FLAGS is a list of flags
  { time node --import tsx src/cli/main.ts run --model "$MODEL" --data "$DATA" $RUN_FLAGS --out "$SHARD_DIR/single.coar" \
      >"$SHARD_DIR/single.json" 2>"$SHARD_DIR/single.log"; } 2>"$SHARD_DIR/single.time"
  echo "one process, fit included: $(cat "$SHARD_DIR/single.time")"
  echo "$(summary "$SHARD_DIR/single.json")"
  node --import tsx --input-type=module -e '
    const { readFileSync } = await import("node:fs");
    const { decodeRunFile } = await import("./src/coar/runfile.ts");
    const [a, b] = process.argv.slice(1).map((p) => decodeRunFile(new Uint8Array(readFileSync(p))).fit.weights);
    const bytes = (w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    console.log(`merged fit against one process: ${bytes(a).equals(bytes(b)) ? "bit-identical" : `max |difference| ${max.toExponential(2)} (batch layouts differ? pin --route)`}`);
  ' "$SHARD_DIR/run.coar" "$SHARD_DIR/single.coar"
fi
