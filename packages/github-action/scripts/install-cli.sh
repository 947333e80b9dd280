#!/usr/bin/env bash
# Installs the leakguard CLI with the Node on PATH (so RE2's native addon matches the Node that runs it) and
# writes its entry point to the step output `bin`.
#   LEAKGUARD_VERSION empty: the CLI of the action's own ref, built from the action's checkout (the action and
#                            the CLI always match, and nothing unpublished is needed).
#   LEAKGUARD_VERSION set:   that release of the `leakguard` package from the npm registry.
set -euo pipefail
if [ -n "${LEAKGUARD_VERSION:-}" ]; then
  prefix="${RUNNER_TEMP:-/tmp}/leakguard-cli-${LEAKGUARD_VERSION}"
  echo "leakguard: installing leakguard@${LEAKGUARD_VERSION} from npm into ${prefix}"
  npm install --no-save --no-audit --no-fund --prefix "$prefix" "leakguard@${LEAKGUARD_VERSION}"
  bin="$prefix/node_modules/leakguard/dist/bin.js"
else
  root="$(cd "$GITHUB_ACTION_PATH/../.." && pwd)"
  cd "$root"
  pnpm_spec=$(node -p 'require("./package.json").packageManager')
  echo "leakguard: building the CLI from ${root} with ${pnpm_spec}"
  npm exec --yes --package="$pnpm_spec" -- pnpm install --frozen-lockfile
  npm exec --yes --package="$pnpm_spec" -- pnpm run build
  bin="$root/packages/cli/dist/bin.js"
fi
node "$bin" --version >/dev/null
echo "bin=$bin" >>"$GITHUB_OUTPUT"
