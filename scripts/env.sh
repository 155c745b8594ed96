# Sourced by the scripts: tool versions and a project-local environment.
TRUNK_VERSION=0.21.14
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Chromium and trunk write under ~/.config and ~/.cache: keep those inside the project.
export XDG_CONFIG_HOME="$PWD/.xdg/config" XDG_CACHE_HOME="$PWD/.xdg/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
