#!/usr/bin/env bash
# The paper-scale backdoored twin's shipped run (public/runs/fashion-resnet-paper-backdoor.coar):
# 50 clean and the same 50 triggered test images of public/data/fashion-mnist-backdoor-test, the
# same settings and shards as scripts/build-paper-run.sh, then the "remove the backdoor" edit
# (target: triggered, reference: clean), printed as JSON.
#
#   scripts/build-paper-backdoor-run.sh          # all shards in sequence, merge + fit, edit
#   scripts/build-paper-backdoor-run.sh 2 3      # only shards 2 and 3 (no merge)
#   scripts/build-paper-backdoor-run.sh merge    # merge the finished shards, fit, edit
VARIANT=backdoor exec "$(dirname "$0")/build-paper-run.sh" "$@"
