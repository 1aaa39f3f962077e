#!/usr/bin/env bash
# npm run mutation: StrykerJS (pinned, from npm) over the fail-closed code, group by group
# (stryker.config.mjs: the engine's entry, the gate, the review book, the audit chain, the socket, the
# hooks' answers), then a table of each group's mutation score (scripts/mutationScores.mjs).
# Stryker 10 needs Node 22 or later: it is installed into the ignored .harness/stryker and run on the
# harness's Node 24 (test/e2e/install.sh), not added to the project's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
STRYKER_VERSION=10.1.1
node24() { find .harness/node24 -path '*/bin/node' -type f 2>/dev/null | head -n 1; }
[[ -n $(node24) ]] || bash test/e2e/install.sh
NODE24=$(node24)
if [[ $(node -p "try { require('./.harness/stryker/node_modules/@stryker-mutator/core/package.json').version } catch { '' }") != "$STRYKER_VERSION" ]]; then
  PATH="$(dirname "$NODE24"):$PATH" npm install --prefix .harness/stryker --no-save --no-package-lock "@stryker-mutator/core@$STRYKER_VERSION"
fi
groups=$(node --input-type=module -e "const { GROUPS } = await import('./scripts/mutationGroups.mjs'); console.log(Object.keys(GROUPS).join('\n'))")
while IFS= read -r group; do
  [[ -n ${COUNTERSIGN_MUTATION_ONLY:-} && $group != "$COUNTERSIGN_MUTATION_ONLY" ]] && continue
  echo "── mutation: $group"
  COUNTERSIGN_MUTATION_GROUP=$group "$NODE24" .harness/stryker/node_modules/@stryker-mutator/core/bin/stryker.js run stryker.config.mjs
done <<<"$groups"
node scripts/mutationScores.mjs
