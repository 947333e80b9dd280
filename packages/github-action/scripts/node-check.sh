#!/usr/bin/env bash
# Decides whether the action must install Node: the CLI needs Node >= 20.19, and its RE2 addon (re2 1.24.0)
# installs from a prebuilt binary or builds for Node 20 and 22. Any other Node (or none) gets Node 20.
set -euo pipefail
version=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
IFS=. read -r major minor _ <<<"$version"
if [ "$major" -eq 22 ] || { [ "$major" -eq 20 ] && [ "$minor" -ge 19 ]; }; then
  echo "leakguard: using Node $version from PATH"
  echo "setup=false" >>"$GITHUB_OUTPUT"
else
  echo "leakguard: Node ${version} is not 20.19+ or 22; installing Node 20"
  echo "setup=true" >>"$GITHUB_OUTPUT"
fi
