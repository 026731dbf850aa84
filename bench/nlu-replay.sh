#!/bin/bash
# `npm run bench:nlu-replay`: how the models would have done on each fresh set when it was new,
# had they learnt the labelled sets that existed then. For each commit that added a fresh
# held-out set (before its one scoring), it checks that commit out beside this one, scores the
# set as it was scored then, then again with the labelled sets of that day in training, and
# with the emergency policy's thresholds swept. This is how nlu/labelled/ was chosen and how
# EMERGENCY_POLICY is calibrated now that the development sets are learnt: on sets no model
# or rule had seen. Prints one JSON line per set and threshold pair. Takes about 10 minutes.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'for w in "$work"/*/; do git -C "$root" worktree remove --force "$w" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT
# The scoring commits of the fifteenth to twenty-first fresh sets: each adds one held-out set.
commits=${REPLAY_COMMITS:-"04dbb7f 6de87df e850b33 8844712 5b44466 964bec3 63839c1"}
for commit in $commits; do
  tree="$work/$commit"
  git -C "$root" worktree add -q --detach "$tree" "$commit"
  ln -s "$root/node_modules" "$tree/node_modules"
  cp "$root/bench/nlu-replay-score.ts" "$tree/bench/"
  set_file=$(git -C "$root" show --name-only --format= "$commit" | grep 'tests/nlu/heldout-listening' | head -1)
  (cd "$tree" && node bin/run-ts.mjs bench/nlu-replay-score.ts "$set_file" as-scored)
  # The labelled sets of that day, as training lines of the danger and the intent model.
  (cd "$tree" && node bin/run-ts.mjs bench/nlu-replay-score.ts "$set_file" with-labelled-sets)
done
