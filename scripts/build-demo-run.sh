#!/usr/bin/env bash
# Recomputes the precomputed run the explorer shows on its first screen (and the CLI's demo numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p public/runs
rm -f public/runs/fashion-resnet-demo.coar
npm run -s coar -- run --model public/models/fashion-resnet/model.json --data public/data/fashion-mnist-test \
  --examples 64 --alpha 0.05 --masks 2000 --val-masks 200 --seed 7 --out public/runs/fashion-resnet-demo.coar
