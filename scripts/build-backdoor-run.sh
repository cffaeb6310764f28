#!/usr/bin/env bash
# The backdoor demo's precomputed run: 50 clean and the same 50 triggered test images, then the
# "remove the backdoor" edit (target: triggered, reference: clean), printed as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p public/runs
rm -f public/runs/fashion-resnet-backdoor.coar
npm run -s coar -- run --model public/models/fashion-resnet-backdoor/model.json --data public/data/fashion-mnist-backdoor-test \
  --examples 0-49,500-549 --alpha 0.05 --masks 1000 --val-masks 100 --seed 7 --out public/runs/fashion-resnet-backdoor.coar
npm run -s coar -- edit public/runs/fashion-resnet-backdoor.coar \
  --model public/models/fashion-resnet-backdoor/model.json --data public/data/fashion-mnist-backdoor-test --target subset:triggered --reference subset:clean --goal backdoor
