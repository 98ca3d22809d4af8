# shellcheck shell=bash
# Sourced by the project's scripts: installs Debian packages for commands that are missing.

# Usage: frostbyte_need COMMAND PACKAGE [COMMAND PACKAGE]...
frostbyte_need() {
  local missing=()
  while [ $# -ge 2 ]; do
    command -v "$1" >/dev/null 2>&1 || missing+=("$2")
    shift 2
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "${FROSTBYTE_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq >&2 || true
    export FROSTBYTE_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}
