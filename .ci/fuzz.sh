#!/usr/bin/env bash
# Fuzzes every fuzz target of packages ubiops and ubiops/ubiopstest briefly, one after another, each
# in its own package (FUZZTIME each, 5s by default, FuzzFakeHTTP 20s: about a minute and a half in
# all). `make fuzz` is the longer run (30s each); the seed corpora run in `make test` as ordinary
# tests.
#
# Fails when a target fails: a failing input is then written to <package>/testdata/fuzz/<target>/
# and printed here; rerun it with `go test -run '<target>/<file>' ./<package>/`. A run that ends with
# a bare "context deadline exceeded" and no failing input is Go's own coordinator race at the end of
# -fuzztime (go.dev/issue/75804, fixed in Go 1.27), not a finding: it is retried once, then ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME="${FUZZTIME:-5s}"
# FUZZTIME_<target> gives one target a time of its own. FuzzFakeHTTP runs each input against a
# fresh fake: its baseline (the ~360 seeds) alone takes several seconds, so 5s would fuzz nothing.
FUZZTIME_FuzzFakeHTTP="${FUZZTIME_FuzzFakeHTTP:-20s}"
# Minimising every new interesting input for the default 60s would use up a short run.
FUZZMINIMIZETIME="${FUZZMINIMIZETIME:-2s}"
GO="${GO:-go}"

packages=(ubiops ubiops/ubiopstest)
# One "package:target" word per fuzz target.
targets=$(for p in "${packages[@]}"; do grep -ho '^func Fuzz[A-Za-z0-9_]*' "$p"/*_test.go | cut -c6- | sort -u | sed "s|^|$p:|"; done)
if [ -z "$targets" ]; then
	echo "fuzz: no fuzz targets found in ${packages[*]}" >&2
	exit 1
fi

failed=()
for pt in $targets; do
	pkg=${pt%%:*}
	t=${pt#*:}
	dir="$pkg/testdata/fuzz/$t"
	own="FUZZTIME_$t"
	fuzztime="${!own:-$FUZZTIME}"
	before=$(ls "$dir" 2>/dev/null || true)
	for attempt in 1 2; do
		start=$SECONDS
		if out=$("$GO" test -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$FUZZMINIMIZETIME" "./$pkg/" 2>&1); then
			echo "fuzz: $t: ok ($(grep -o 'execs: [0-9]*' <<<"$out" | tail -1 | cut -d' ' -f2) execs, $((SECONDS - start))s)"
			break
		fi
		new=$(comm -13 <(sort <<<"$before") <(ls "$dir" 2>/dev/null | sort))
		if [ -z "$new" ] && grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
			if [ "$attempt" -eq 1 ]; then
				echo "fuzz: $t: Go's end-of-fuzztime race (go.dev/issue/75804), no failing input; retrying"
				continue
			fi
			echo "fuzz: $t: Go's end-of-fuzztime race again, no failing input; not counted as a failure"
			break
		fi
		grep -v '^fuzz: elapsed' <<<"$out" || true
		for f in $new; do
			echo "--- failing input $dir/$f:"
			cat "$dir/$f"
		done
		failed+=("$t")
		break
	done
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: FAILED: ${failed[*]}" >&2
	exit 1
fi
echo "fuzz: all $(wc -w <<<"$targets") targets passed"
