#!/usr/bin/env bash
# Installs the Debian packages the test suites need, and only those that are missing.
# Idempotent: a second run installs nothing and does not touch the network.
#   sudo scripts/setup-system.sh
#
# Why each package:
#   chromium                 browser suite (webview) and the code-server end-to-end suite, driven by playwright-core
#   python3-sympy/-scipy/-numpy  reference values the reference suite compares against (SymPy, scipy)
#   neovim                   the Neovim suite attaches calc-language-server to a real editor (0.7: vim.lsp.start_client)
#   ripgrep                  code-server's search; its install script would download rg, so we link Debian's
#   libkrb5-dev              headers for code-server's native `kerberos` module, rebuilt from source
#   build-essential, python3, pkg-config   node-gyp, to rebuild code-server's native modules
#   git, ca-certificates     npm ci over https, git in CI
#   fonts-dejavu-core        a font for Chromium's text, so screenshots and layout do not depend on the image
set -euo pipefail

PACKAGES=(
  chromium
  python3 python3-sympy python3-scipy python3-numpy
  neovim
  ripgrep
  libkrb5-dev
  build-essential pkg-config
  git ca-certificates
  fonts-dejavu-core
)

missing=()
for p in "${PACKAGES[@]}"; do
  # dpkg-query prints "install ok installed" only for packages that are fully installed.
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "[setup-system] all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "[setup-system] missing: ${missing[*]}; run this script as root" >&2; exit 1
  fi
fi

echo "[setup-system] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (unattended upgrades, a parallel job) rather than fail on its lock.
APT=(apt-get -o DPkg::Lock::Timeout=900 -q)
"${SUDO[@]}" "${APT[@]}" update
"${SUDO[@]}" "${APT[@]}" install -y --no-install-recommends "${missing[@]}"
echo "[setup-system] done"
