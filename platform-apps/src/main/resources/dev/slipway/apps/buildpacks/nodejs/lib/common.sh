# shellcheck shell=bash
# Helpers shared by this buildpack's bin/ scripts. Sourced, never executed.
# Identical copies live in every built-in buildpack so each one is self-contained.

# "-----> Step" lines, Heroku style.
bp::step() {
  printf -- '-----> %s\n' "$*"
}

# Indented detail lines under a step.
bp::detail() {
  printf '       %s\n' "$*"
}

# Indents a stream line by line, without buffering (for tool output), and drops
# ANSI colour codes (SGR sequences) so logs read cleanly in any viewer.
bp::indent() {
  local line
  shopt -s extglob
  while IFS= read -r line || [[ -n "${line}" ]]; do
    line="${line//$'\e'\[*([0-9;])m/}"
    printf '       %s\n' "${line}"
  done
}

# " !     " error lines on stderr, Heroku style.
bp::error() {
  local line
  for line in "$@"; do
    printf ' !     %s\n' "${line}" >&2
  done
}

# Absolute path of an existing directory, or fail with a message.
bp::abs_dir() {
  if [[ ! -d "${1}" ]]; then
    bp::error "not a directory: ${1}"
    return 1
  fi
  (cd "${1}" && pwd -P)
}

# bp::config NAME ENV_DIR
# Prints the value of config var NAME: the content of ENV_DIR/NAME when that file
# exists (trailing newlines stripped), else the build process's own environment
# variable NAME when set. Returns 1 when neither is set. The value is only ever
# printed, never evaluated. NAME must be a plain identifier chosen by the caller.
bp::config() {
  local name="${1}" env_dir="${2:-}" value
  if [[ ! "${name}" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
    return 1
  fi
  if [[ -n "${env_dir}" && -f "${env_dir}/${name}" ]]; then
    value="$(<"${env_dir}/${name}")"
    printf '%s' "${value}"
    return 0
  fi
  if [[ -n "${!name+x}" ]]; then
    printf '%s' "${!name}"
    return 0
  fi
  return 1
}

# bp::config_or NAME ENV_DIR DEFAULT: like bp::config, but prints DEFAULT when the
# config var is unset or empty.
bp::config_or() {
  local value
  if value="$(bp::config "${1}" "${2}")" && [[ -n "${value}" ]]; then
    printf '%s' "${value}"
  else
    printf '%s' "${3}"
  fi
}
