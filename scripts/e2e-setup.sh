#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser) for the end-to-end suite, from the npm registry only,
# into a cache folder outside the repository, keyed by version: a second run prints its path and returns.
#   scripts/e2e-setup.sh            -> prints the folder that holds node_modules/code-server
#   CALC_E2E_CACHE=/some/dir scripts/e2e-setup.sh
#
# code-server 4.100.3 is the last line that runs on Node 20. Its install scripts download ripgrep from GitHub,
# which machines without internet cannot reach, so we install without scripts and do their work by hand
# (the recipe of issue 6). Needs Debian's ripgrep and libkrb5-dev (scripts/setup-system.sh).
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${CALC_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/calc-e2e}"
DEST="$CACHE/code-server-$VERSION"

if [[ -f "$DEST/.ready" ]]; then echo "$DEST"; exit 0; fi

for tool in rg node npm; do
  command -v "$tool" >/dev/null || { echo "[e2e-setup] $tool is missing: run scripts/setup-system.sh" >&2; exit 1; }
done

# Native modules compile against the installed Node's headers instead of downloading them.
if [[ -z "${npm_config_nodedir:-}" && -f /usr/include/node/node.h ]]; then export npm_config_nodedir=/usr; fi
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# Build in a scratch folder and move it into place at the end, so an interrupted run never looks finished.
mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/.building-$VERSION.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log() { echo "[e2e-setup] $(date -u +%H:%M:%S) $*" >&2; }

cd "$WORK"
echo '{ "private": true }' > package.json
log "npm install code-server@$VERSION (no scripts)"
npm install --ignore-scripts --no-save "code-server@$VERSION" >&2

cd node_modules/code-server/lib/vscode
log "lib/vscode: npm install --omit=dev --ignore-scripts"
npm install --omit=dev --ignore-scripts >&2
# @vscode/ripgrep's postinstall would download rg: use Debian's.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
log "lib/vscode: npm rebuild (native modules)"
npm rebuild >&2
# VS Code loads some modules from node_modules.asar; unpacked, a link stands in for the archive.
ln -sfn node_modules node_modules.asar
log "lib/vscode/extensions: npm install --omit=dev"
(cd extensions && npm install --omit=dev >&2)

cd "$WORK"
log "npm rebuild argon2"
npm rebuild argon2 >&2
touch .ready

trap - EXIT
rm -rf "$DEST"
mv "$WORK" "$DEST"
log "ready"
echo "$DEST"
