#!/usr/bin/env bash
# Submit a cluster run without Snakemake: N array tasks (one shard each),
# then the merge, which Slurm starts when every task has succeeded.
#
#   contrib/slurm/submit.sh PAIRS OUT SRC TGT N [batch options, e.g. --no-learn]
#
# Environment: TANDEM (the program, default tandem), SBATCH_ARGS (more sbatch
# options for both jobs, e.g. "--partition=cpu --account=proj").
# Resubmitting after a failure resumes: finished shards are not redone by the
# merge (their TMs are merged once), killed shards resume from their TMs.
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: $0 PAIRS OUT SRC TGT N [batch options]" >&2; exit 2; }
pairs=$1 out=$2 src=$3 tgt=$4 n=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/shards"
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="0-$((n - 1))" --export=ALL,N="$n" \
	"$here/tandem-shards.sbatch" "$pairs" "$out" "$src" "$tgt" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:$array" \
	"$here/tandem-merge.sbatch" "$out" "$n")
echo "shards: job $array (array 0-$((n - 1))), merge: job ${merge%%;*}"
