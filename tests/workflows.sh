#!/usr/bin/env bash
# The cluster workflows of contrib/ on the sample bitexts (run by `meson
# test`): the plain Slurm scripts run as array tasks would run them, and the
# Snakemake workflow with three shards and --cores 2, give the units (and,
# for Snakemake, the documents and provenance records) of one batch, a TMX
# and a summary; the Slurm profile passes a dry run. Exits 77 (skipped) after
# the Slurm part when snakemake is not installed (scripts/install-deps
# installs it).
# usage: tests/workflows.sh TANDEM SOURCE_ROOT
set -euo pipefail
T=$1
ROOT=$2
W=$(mktemp -d /tmp/tandem-workflows-XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$T" batch -s de -t en --no-learn --no-lexicon -j 2 --tm "$W/one.db" "$ROOT/bitexts" 2>/dev/null || fail "batch"
"$T" export --format tsv --tm "$W/one.db" | LC_ALL=C sort > "$W/one.tsv"
[ "$(wc -l < "$W/one.tsv")" -gt 50 ] || fail "one batch stored too few units"

# The plain Slurm scripts, run as Slurm would run them (array tasks 0..2, then the merge).
for k in 0 1 2; do
	SLURM_ARRAY_TASK_ID=$k N=3 TANDEM=$T bash "$ROOT/contrib/slurm/tandem-shards.sbatch" \
		"$ROOT/bitexts" "$W/sl" de en --no-learn --no-lexicon 2>/dev/null || fail "slurm shard $k"
done
TANDEM=$T bash "$ROOT/contrib/slurm/tandem-merge.sbatch" "$W/sl" 3 2>/dev/null || fail "slurm merge"
"$T" export --format tsv --tm "$W/sl/merged.db" | LC_ALL=C sort > "$W/sl.tsv"
cmp -s "$W/one.tsv" "$W/sl.tsv" || fail "the Slurm scripts' merged TM differs from one batch's"
grep -q '<tu' "$W/sl/merged.tmx" || fail "no TMX from the Slurm scripts"

command -v snakemake >/dev/null || { echo "slurm scripts: ok; snakemake is not installed: skipped"; exit 77; }

snakemake -s "$ROOT/contrib/snakemake/Snakefile" --cores 2 -d "$W" -q \
	--config pairs="$ROOT/bitexts" src=de tgt=en shards=3 out=res tandem="$T" batch_args="--no-learn --no-lexicon" \
	>"$W/log" 2>&1 || { cat "$W/log"; fail "the workflow failed"; }
"$T" export --format tsv --tm "$W/res/merged.db" | LC_ALL=C sort > "$W/merged.tsv"
cmp -s "$W/one.tsv" "$W/merged.tsv" || fail "the merged TM's units differ from one batch's"
for k in units documents provenance; do
	a=$("$T" stats --json --tm "$W/one.db" | python3 -c "import json,sys; print(json.load(sys.stdin)['$k'])")
	b=$("$T" stats --json --tm "$W/res/merged.db" | python3 -c "import json,sys; print(json.load(sys.stdin)['$k'])")
	[ "$a" = "$b" ] || fail "$k: one batch $a, merged $b"
done
grep -q '<tu' "$W/res/merged.tmx" || fail "no TMX"
python3 - "$W/res/summary.json" <<'PY' || fail "summary"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["pairs"] == 8 and s["aligned"] == 8 and s["failed"] == 0, s
assert len(s["shards"]) == 3 and sum(x["pairs"] for x in s["shards"]) == 8, s["shards"]
assert s["merged"]["documents"] == 8, s["merged"]
PY
ls "$W"/res/shards/*.beads/*.beads >/dev/null || fail "no beads files"

# The Slurm profile: a dry run plans every job.
snakemake -s "$ROOT/contrib/snakemake/Snakefile" -n --profile "$ROOT/contrib/snakemake/slurm" \
	-d "$W/dry" --config pairs="$ROOT/bitexts" shards=5 out=res >"$W/dry.log" 2>&1 \
	|| { cat "$W/dry.log"; fail "dry run with the Slurm profile"; }
grep -Eq '^shard +5 ' "$W/dry.log" || { cat "$W/dry.log"; fail "the dry run does not plan 5 shards"; }
echo "snakemake workflow: ok"
