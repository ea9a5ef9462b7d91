#!/usr/bin/env bash
# Sharded calibration (issue 17): the textlines calibration set of
# paddleocr-cls split into 4 shards, `quantize --stats-out` on each and
# `quantize --stats s1..s4 -o` must give a QDQ model byte-identical to one
# run over all samples, for contiguous and for round-robin shards. Also the
# errors: statistics of another model, a corrupt file, --stats with --calib.
#   sharded_calibration_test.sh EDGEC SOURCE_DIR
# Shared data: $EDGEC_SHARED_DIR or SOURCE_DIR/../shared (skip 77 without).
set -u
EDGEC="$1"
SRC="$2"
. "$SRC/test/skip.sh"
SHARED="${EDGEC_SHARED_DIR:-$SRC/../shared}"
MODEL="$SHARED/models/paddleocr-cls/model.onnx"
[ -d "$SHARED/datasets/textlines" ] && [ -f "$MODEL" ] || skip_data "no shared textlines/paddleocr-cls at $SHARED"
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import numpy' 2>/dev/null || skip_tool "python3-numpy missing"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

"$PY" "$SRC/scripts/prepare-textlines.py" "$SHARED/datasets/textlines" "$tmp/text" >/dev/null ||
  { echo "FAIL: prepare-textlines"; exit 1; }
mapfile -t files < <(cd "$tmp/text/calib" && ls | LC_ALL=C sort)
n=${#files[@]}
[ "$n" -ge 8 ] || { echo "FAIL: only $n calibration samples"; exit 1; }
echo "calibration samples: $n"

# One run over all samples (with its own statistics, which must also work).
"$EDGEC" quantize "$MODEL" --calib "$tmp/text/calib" -o "$tmp/single.onnx" \
  --stats-out "$tmp/single.json" >"$tmp/single.log" 2>&1 || { cat "$tmp/single.log"; exit 1; }
"$EDGEC" quantize "$MODEL" --calib "$tmp/text/calib" -o "$tmp/plain.onnx" >/dev/null 2>&1 ||
  fail "quantize without --stats-out"
cmp -s "$tmp/single.onnx" "$tmp/plain.onnx" || fail "--stats-out changed the model"

for split in contiguous roundrobin; do
  for k in 0 1 2 3; do mkdir -p "$tmp/$split/shard$k"; done
  for i in "${!files[@]}"; do
    if [ $split = contiguous ]; then k=$((i * 4 / n)); else k=$((i % 4)); fi
    ln -s "$tmp/text/calib/${files[$i]}" "$tmp/$split/shard$k/${files[$i]}"
  done
  stats=()
  for k in 0 1 2 3; do
    "$EDGEC" quantize "$MODEL" --calib "$tmp/$split/shard$k" --stats-out "$tmp/$split/s$k.json" \
      >"$tmp/$split/s$k.log" 2>&1 || { fail "$split shard $k: $(tail -c 300 "$tmp/$split/s$k.log")"; continue; }
    [ -f "$tmp/$split/s$k.json" ] || fail "$split shard $k wrote no statistics"
    stats+=("$tmp/$split/s$k.json")
  done
  "$EDGEC" quantize "$MODEL" --stats "${stats[@]}" -o "$tmp/$split.onnx" >"$tmp/$split.log" 2>&1 ||
    { fail "$split merge: $(tail -c 300 "$tmp/$split.log")"; continue; }
  grep -q "over $n calibration samples" "$tmp/$split.log" || fail "$split: merged sample count is not $n"
  if cmp -s "$tmp/single.onnx" "$tmp/$split.onnx"; then
    echo "ok: $split shards -> byte-identical model ($(sha256sum <"$tmp/$split.onnx" | cut -c1-16))"
  else
    fail "$split shards: the merged model differs from the single run"
  fi
done

# The merged statistics merge again (a tree of merges) to the same model.
"$EDGEC" quantize "$MODEL" --stats "$tmp/contiguous/s0.json" "$tmp/contiguous/s1.json" \
  --stats-out "$tmp/half.json" >/dev/null 2>&1 || fail "merging into --stats-out"
"$EDGEC" quantize "$MODEL" --stats "$tmp/half.json" "$tmp/contiguous/s2.json" "$tmp/contiguous/s3.json" \
  -o "$tmp/tree.onnx" >/dev/null 2>&1 && cmp -s "$tmp/single.onnx" "$tmp/tree.onnx" ||
  fail "a two-level merge differs from the single run"

# Errors: exit code and a one-line message naming the file.
expect_error() { # CODE PATTERN ARGS...
  local code="$1" pat="$2"; shift 2
  "$EDGEC" quantize "$@" >"$tmp/err.out" 2>"$tmp/err.log"
  local rc=$?
  [ "$rc" -eq "$code" ] || { fail "exit $rc, want $code: $* ($(cat "$tmp/err.log"))"; return; }
  [ "$(wc -l <"$tmp/err.log")" -eq 1 ] && grep -q "$pat" "$tmp/err.log" ||
    fail "message for $*: $(cat "$tmp/err.log")"
  [ ! -e "$tmp/bad.onnx" ] || fail "an output was written by: $*"
}
# The same graph with another doc_string (ModelProto field 6): another file.
cp "$MODEL" "$tmp/other.onnx" && printf '\x32\x03abc' >>"$tmp/other.onnx"
expect_error 6 "statistics of another model" "$tmp/other.onnx" --stats "$tmp/contiguous/s0.json" -o "$tmp/bad.onnx"
head -c 200 "$tmp/contiguous/s1.json" >"$tmp/corrupt.json"
expect_error 6 "corrupt.json: JSON line" "$MODEL" --stats "$tmp/contiguous/s0.json" "$tmp/corrupt.json" -o "$tmp/bad.onnx"
expect_error 2 "exactly one of" "$MODEL" --stats "$tmp/contiguous/s0.json" --calib "$tmp/text/calib" -o "$tmp/bad.onnx"
expect_error 3 "missing.json" "$MODEL" --stats "$tmp/missing.json" -o "$tmp/bad.onnx"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "sharded calibration: all checks passed"
