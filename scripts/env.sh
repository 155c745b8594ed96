# Sourced by the scripts: tool versions and a project-local environment. Paths are the
# project's root (this file's parent directory), wherever it is sourced from.
TRUNK_VERSION=0.21.14
SW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$SW_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Chromium and trunk write under ~/.config and ~/.cache: keep those inside the project.
export XDG_CONFIG_HOME="$SW_ROOT/.xdg/config" XDG_CACHE_HOME="$SW_ROOT/.xdg/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
# The widget's release wasm: std rebuilt with `panic = immediate-abort`, and no source paths or
# `Debug` code (scripts/build explains each). Also used by bench/floor/measure, which must build
# the same way.
WIDGET_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
