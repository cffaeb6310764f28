#!/usr/bin/env bash
# The paper-scale backdoored twin's shipped run (public/runs/fashion-resnet-paper-backdoor.coar):
# 50 clean and the same 50 triggered test images of public/data/fashion-mnist-backdoor-test,
# made with the CLI in shards (one after another, or in parallel, one core each), merged, then
# the "remove the backdoor" edit (target: triggered, reference: clean), printed as JSON.
#
#   scripts/build-paper-backdoor-run.sh          # all shards in sequence, merge + fit, edit
#   scripts/build-paper-backdoor-run.sh 2 3      # only shards 2 and 3 (no merge)
#   scripts/build-paper-backdoor-run.sh merge    # merge the finished shards, fit, edit
#
# Same settings as scripts/build-paper-run.sh: alpha 0.1, 9,600 training masks (≈ 4×N for
# N = 2,352), 200 validation masks; 980,000 (example, mask) pairs, ~30–40 min on one wasm core.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARDS=4
SHARD_DIR=${SHARD_DIR:-.cache/paper-run}
NAME=fashion-resnet-paper-backdoor
FLAGS=(--model public/models/$NAME/model.json --data public/data/fashion-mnist-backdoor-test
  --examples 0-49,500-549 --alpha 0.1 --masks 9600 --val-masks 200 --seed 7)
mkdir -p "$SHARD_DIR" public/runs
shard_file() { echo "$SHARD_DIR/$NAME.shard$1-of-$SHARDS.coar"; }

merge() {
  files=()
  for i in $(seq 1 $SHARDS); do files+=("$(shard_file "$i")"); done
  rm -f public/runs/$NAME.coar
  npm run -s coar -- merge "${files[@]}" --out public/runs/$NAME.coar
  npm run -s coar -- edit public/runs/$NAME.coar "${FLAGS[@]:0:4}" --target subset:triggered --reference subset:clean --goal backdoor
}

if [ "${1:-}" = merge ]; then merge; exit 0; fi
which=("$@")
[ ${#which[@]} -eq 0 ] && which=($(seq 1 $SHARDS))
for i in "${which[@]}"; do
  npm run -s coar -- run "${FLAGS[@]}" --shard "$i/$SHARDS" --out "$(shard_file "$i")"
done
[ $# -eq 0 ] && merge
