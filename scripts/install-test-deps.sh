#!/usr/bin/env bash
# What the tests need from the operating system: Debian's Chromium (Playwright drives it)
# and Debian's Fashion-MNIST package (the real-data end-to-end test and the benchmark).
set -euo pipefail
packages=(chromium fonts-dejavu-core dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: ${packages[*]} already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-test-deps: no apt-get here; install ${missing[*]} (or set CHROMIUM_PATH) yourself" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-test-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
