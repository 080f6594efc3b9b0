#!/usr/bin/env bash
# Creates the Python venv used by the fixture generators, installing every wheel OFFLINE from the
# machine's local wheel mirrors (never needed for the Java build).
#
#   testdata/generate/setup-venv.sh            # torch + onnx stack in /work/venv-fixtures
#   VENV=/work/venv-keras testdata/generate/setup-venv.sh --keras
#                                              # also keras + tensorflow-cpu + h5py
#   testdata/generate/setup-venv.sh --keras --no-torch
#                                              # keras stack only (skips torch/onnx)
#
# Environment: VENV (default /work/venv-fixtures), PYTHON (default python3.11).
# The versions are pinned to the ones the committed fixtures were generated with.
set -euo pipefail

VENV="${VENV:-/work/venv-fixtures}"
PYTHON="${PYTHON:-python3.11}"
WITH_KERAS=0
WITH_TORCH=1
for arg in "$@"; do
  case "$arg" in
    --keras) WITH_KERAS=1 ;;
    --no-torch) WITH_TORCH=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

PIP_OFFLINE=(
  --index-url file:///opt/pypi/simple
  --extra-index-url file:///opt/pypi-more/simple
  --find-links /opt/wheels
  --disable-pip-version-check
)

TORCH_PKGS=(
  "torch==2.13.0+cpu"        # the CPU-only wheel in /opt/wheels (no nvidia-* dependencies)
  # torchvision: installed below with --no-deps. The mirror's wheel links the CUDA libtorch, so
  # its C++ ops do not load with the CPU torch; compute_fixtures.py imports it without them (the
  # classification models do not use them). onnx_fixtures.py defines VGG16 itself.
  "onnx==1.23.1"
  "onnxruntime==1.30.0"
  "onnxscript==0.7.2"
  "numpy==2.4.6"
)
KERAS_PKGS=(
  "keras==3.15.1"
  "tensorflow-cpu==2.21.0"
  "h5py==3.14.0"
  "numpy==2.4.6"
)

PKGS=()
if [ "$WITH_TORCH" = 1 ]; then PKGS+=("${TORCH_PKGS[@]}"); fi
if [ "$WITH_KERAS" = 1 ]; then PKGS+=("${KERAS_PKGS[@]}"); fi
if [ "${#PKGS[@]}" = 0 ]; then echo "nothing to install" >&2; exit 2; fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install "${PIP_OFFLINE[@]}" "${PKGS[@]}"
if [ "$WITH_TORCH" = 1 ]; then
  "$VENV/bin/python" -m pip install "${PIP_OFFLINE[@]}" --no-deps "torchvision==0.28.0" "pillow==12.3.0"
fi
"$VENV/bin/python" -m pip list --format=freeze | grep -iE '^(torch|torchvision|onnx|onnxruntime|onnxscript|numpy|keras|tensorflow-cpu|tensorflow_cpu|h5py)==' || true
echo "venv ready: $VENV"
