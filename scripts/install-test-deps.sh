#!/usr/bin/env bash
# What the tests need from the operating system: Debian's Chromium (Playwright drives it)
# and Debian's Fashion-MNIST package (the real-data end-to-end test and the benchmark).
set -euo pipefail
packages=(chromium fonts-dejavu-core dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: ${packages[*]} already installed"
elif ! command -v apt-get >/dev/null; then
  echo "install-test-deps: no apt-get here; install ${missing[*]} (or set CHROMIUM_PATH) yourself" >&2
  exit 1
else
  echo "install-test-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The reference checks and benchmark (scripts/bench/pca_reference.py; SSIM against scikit-image; ONNX against onnxruntime):
# numpy, scikit-learn, scikit-image and onnxruntime in the project's own virtual environment, .venv, from the
# Python package index.
venv="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.venv"
if "$venv/bin/python" -c 'import numpy, sklearn, skimage, onnxruntime' >/dev/null 2>&1; then
  echo "install-test-deps: $venv has numpy, scikit-learn, scikit-image and onnxruntime"
  exit 0
fi
echo "install-test-deps: making $venv with numpy, scikit-learn, scikit-image and onnxruntime"
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1 && ! python3 -m venv --clear "$venv" >/dev/null 2>&1; then
  # Debian ships venv's pip bootstrap separately, in python3-venv.
  if ! command -v apt-get >/dev/null; then
    echo "install-test-deps: python3 -m venv failed; install Python's venv module yourself" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  python3 -m venv --clear "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check numpy scikit-learn scikit-image onnxruntime
