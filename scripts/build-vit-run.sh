#!/usr/bin/env bash
# The bundled ViT's shipped run (public/runs/fashion-vit.coar), made with the CLI in shards that
# can run one after another or in parallel (one core each), then merged and fitted.
#
#   scripts/build-vit-run.sh             # all shards in sequence, then merge + fit
#   scripts/build-vit-run.sh 2           # only shard 2 (e.g. on another core), no merge
#   scripts/build-vit-run.sh merge       # merge the finished shards and fit
#
# Components, as in the paper's ViT experiments: every attention head and every MLP neuron
# (6 blocks × (4 heads + 128 neurons) = 792); the patch embedding and the MLP's output
# projections are left out. Alpha 0.05 (the paper's for ViT-B/16), 12,000 training masks ≈ 15×N,
# 200 validation masks, test images 0–99. Shards are resumable and kept outside public/.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARDS=2
SHARD_DIR=${SHARD_DIR:-.cache/vit-run}
NAME=fashion-vit
LAYERS=$(for b in 1 2 3 4 5 6; do printf 'block%s_attention,block%s_mlp_hidden,' "$b" "$b"; done)
FLAGS=(--model public/models/$NAME/model.json --data public/data/fashion-mnist-test
  --layers "${LAYERS%,}" --examples 0-99 --alpha 0.05 --masks 12000 --val-masks 200 --seed 7)
mkdir -p "$SHARD_DIR" public/runs
shard_file() { echo "$SHARD_DIR/$NAME.shard$1-of-$SHARDS.coar"; }

merge() {
  files=()
  for i in $(seq 1 $SHARDS); do files+=("$(shard_file "$i")"); done
  rm -f public/runs/$NAME.coar
  npm run -s coar -- merge "${files[@]}" --out public/runs/$NAME.coar
}

if [ "${1:-}" = merge ]; then merge; exit 0; fi
which=("$@")
[ ${#which[@]} -eq 0 ] && which=($(seq 1 $SHARDS))
for i in "${which[@]}"; do
  npm run -s coar -- run "${FLAGS[@]}" --shard "$i/$SHARDS" --out "$(shard_file "$i")"
done
[ $# -eq 0 ] && merge
