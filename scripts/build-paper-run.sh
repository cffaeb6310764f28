#!/usr/bin/env bash
# The paper-scale model's shipped run (public/runs/fashion-resnet-paper.coar), made with the CLI in
# shards that can run one after another or in parallel (one core each), then merged and fitted.
#
#   scripts/build-paper-run.sh             # all shards in sequence, then merge + fit
#   scripts/build-paper-run.sh 2 3         # only shards 2 and 3 (e.g. on another core), no merge
#   scripts/build-paper-run.sh merge       # merge the finished shards and fit
#
# Shards are resumable (rerun the same command after an interruption) and are kept outside
# public/ (SHARD_DIR, default .cache/paper-run; only the merged run ships).
#
# Settings: this model has 2,352 filters (the paper's CIFAR-10 ResNet-18: 2,304). It is more robust
# than the paper's: at alpha 0.10 one-at-a-time estimates still reach .72, so the run is fitted at
# alpha 0.15, where leave-one-out falls to ~.58, about where the paper's ResNet-18 stands at its
# alpha 0.10 (.52). 14,400 training masks ≈ 6×N (the paper uses ~20×N), 200 validation masks.
# Examples: test images 0–99, of which the model misclassifies 12 (17, 23, 25, 27, 42, 43, 49, 53,
# 66, 67, 68, 98), so "fix this error" has candidates. 1,460,000 (example, mask) pairs: ~60 min at
# ~420 pairs/s on one wasm core, so 6 shards, two at a time on two cores.
# The backdoored twin keeps alpha 0.10 and 9,600 masks in 4 shards: its edit goal is met there.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARD_DIR=${SHARD_DIR:-.cache/paper-run}
# VARIANT=backdoor makes the backdoored twin's run (scripts/build-paper-backdoor-run.sh).
if [ "${VARIANT:-}" = backdoor ]; then
  NAME=fashion-resnet-paper-backdoor DATA=public/data/fashion-mnist-backdoor-test EXAMPLES=${EXAMPLES:-0-49,500-549}
  ALPHA=0.1 MASKS=9600 SHARDS=4
else
  NAME=fashion-resnet-paper DATA=public/data/fashion-mnist-test EXAMPLES=${EXAMPLES:-0-99}
  ALPHA=0.15 MASKS=14400 SHARDS=6
fi
FLAGS=(--model public/models/$NAME/model.json --data "$DATA"
  --examples "$EXAMPLES" --alpha "$ALPHA" --masks "$MASKS" --val-masks 200 --seed 7)
mkdir -p "$SHARD_DIR" public/runs
shard_file() { echo "$SHARD_DIR/$NAME.a$ALPHA.shard$1-of-$SHARDS.coar"; }

merge() {
  files=()
  for i in $(seq 1 $SHARDS); do files+=("$(shard_file "$i")"); done
  rm -f public/runs/$NAME.coar
  npm run -s coar -- merge "${files[@]}" --out public/runs/$NAME.coar
  if [ "${VARIANT:-}" = backdoor ]; then
    npm run -s coar -- edit public/runs/$NAME.coar "${FLAGS[@]:0:4}" --target subset:triggered --reference subset:clean --goal backdoor
  fi
}

if [ "${1:-}" = merge ]; then merge; exit 0; fi
which=("$@")
[ ${#which[@]} -eq 0 ] && which=($(seq 1 $SHARDS))
for i in "${which[@]}"; do
  npm run -s coar -- run "${FLAGS[@]}" --shard "$i/$SHARDS" --out "$(shard_file "$i")"
done
[ $# -eq 0 ] && merge
