#!/bin/bash
# Submits a COAR run to SLURM: the shard array (coar-array.sbatch), then the merge
# (coar-merge.sbatch) with --dependency=afterok on the array. Run from the repository's root:
#
#   SHARDS=8 SHARD_DIR=/scratch/$USER/coar deploy/slurm/submit.sh
#
# SHARDS (default 4) sets the array's size and --shard-count together.
set -euo pipefail
SHARDS=${SHARDS:-4}
export SHARDS
here=$(dirname "$0")
ARRAY_JOB_ID=$(sbatch --parsable --array="0-$((SHARDS - 1))" "$here/coar-array.sbatch")
ARRAY_JOB_ID=${ARRAY_JOB_ID%%;*}   # "id;cluster" on a federation
MERGE_JOB_ID=$(sbatch --parsable --dependency="afterok:$ARRAY_JOB_ID" "$here/coar-merge.sbatch")
echo "array job $ARRAY_JOB_ID ($SHARDS tasks), merge job ${MERGE_JOB_ID%%;*} after it"
