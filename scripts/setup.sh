#!/usr/bin/env bash
# Installs what building and testing Fledge needs on a fresh Debian machine with Swift:
# the C libraries and servers listed below, and the small Python packages the cross-checks use.
# Safe to run again: it only installs what is missing.
set -euo pipefail

# libdnnl-dev: GEMM. tmux: the progress-bar test runs fledge in a real terminal. chromium: report.html is
# rendered headless in a test. libsqlite3-dev: GRDB (study storage, event sources). postgresql: the
# PostgreSQL study/event tests run a real server on loopback. libopenmpi-dev + openmpi-bin: data-parallel training.
apt_packages=(libdnnl-dev tmux chromium libsqlite3-dev postgresql libopenmpi-dev openmpi-bin)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python side: the safetensors cross-check reads our files with the reference implementation.
python=${PYTHON:-python3}
if ! "$python" -c "import safetensors, numpy" >/dev/null 2>&1; then
    echo "setup: installing Python packages safetensors, numpy"
    "$python" -m pip install --quiet safetensors numpy || "$python" -m pip install --quiet --break-system-packages safetensors numpy
fi

# TensorBoard's reader checks the event files `training.report_to: [tensorboard]` writes.
if ! "$python" -c "import tensorboard" >/dev/null 2>&1; then
    echo "setup: installing Python package tensorboard"
    "$python" -m pip install --quiet tensorboard || "$python" -m pip install --quiet --break-system-packages tensorboard
fi
echo "setup: ok"
