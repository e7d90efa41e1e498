# shellcheck shell=bash
# Node.js helpers for the nodejs buildpack. Sourced, never executed; needs lib/common.sh.

# node::require_tools: node and npm must be on PATH (this buildpack does not
# download Node.js; the build environment provides it).
node::require_tools() {
  local tool
  for tool in node npm; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
      bp::error "'${tool}' is not on PATH. This buildpack uses the Node.js installed in the build environment."
      return 1
    fi
  done
}

# node::pkg BUILD_DIR KEY...: prints the string found in package.json at the
# path KEY... (e.g. `node::pkg "$dir" engines node`), or nothing when absent,
# not a string, or package.json is unreadable. Nothing is evaluated.
node::pkg() {
  local file="${1}/package.json"
  shift
  node -e '
    const fs = require("fs");
    let v;
    try { v = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch (e) { process.exit(0); }
    for (const key of process.argv.slice(2)) {
      if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, key)) process.exit(0);
      v = v[key];
    }
    if (typeof v === "string") process.stdout.write(v);
  ' "${file}" "$@" 2>/dev/null || true
}

# node::has_script BUILD_DIR NAME: package.json defines scripts.NAME.
node::has_script() {
  [[ -n "$(node::pkg "${1}" scripts "${2}")" ]]
}

# node::has_dev_dependencies BUILD_DIR: package.json lists devDependencies.
node::has_dev_dependencies() {
  [[ -n "$(node -e '
    const fs = require("fs");
    try {
      const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      if (p.devDependencies && Object.keys(p.devDependencies).length > 0) process.stdout.write("yes");
    } catch (e) { /* no package.json: nothing to prune */ }
  ' "${1}/package.json" 2>/dev/null || true)" ]]
}

# node::check_engine BUILD_DIR: reports engines.node and warns when the installed
# major version obviously does not match a simple "N", "N.x" or "N.x.x" range.
node::check_engine() {
  local build_dir="${1}" wanted have
  wanted="$(node::pkg "${build_dir}" engines node)"
  have="$(node --version)"
  bp::step "Node.js ${have}, npm $(npm --version 2>/dev/null || echo '?')"
  if [[ -z "${wanted}" ]]; then
    bp::detail "package.json does not set engines.node; using the installed Node.js"
    return 0
  fi
  bp::detail "engines.node: ${wanted}"
  if [[ "${wanted}" =~ ^[[:space:]]*v?([0-9]+)(\.(x|X|\*|[0-9]+))*[[:space:]]*$ ]]; then
    local major="${BASH_REMATCH[1]}" have_major="${have#v}"
    have_major="${have_major%%.*}"
    if [[ "${major}" != "${have_major}" ]]; then
      bp::detail "WARNING: engines.node asks for ${wanted} but Node.js ${have} is installed"
    fi
  fi
}

# node::npm_env CACHE_DIR ENV_DIR: npm settings for a build.
node::npm_env() {
  local cache_dir="${1}" env_dir="${2}" value
  export npm_config_cache="${cache_dir}/npm"
  export npm_config_update_notifier=false
  export npm_config_fund=false
  export npm_config_audit=false
  export npm_config_color=false
  mkdir -p "${npm_config_cache}"
  # Config vars a build script may legitimately need.
  if value="$(bp::config NODE_ENV "${env_dir}")"; then
    export NODE_ENV="${value}"
  fi
}

# node::install BUILD_DIR: installs dependencies (including devDependencies,
# which the build may need) from the lockfile.
node::install() {
  local build_dir="${1}"
  if [[ -f "${build_dir}/package-lock.json" || -f "${build_dir}/npm-shrinkwrap.json" ]]; then
    bp::step "Installing dependencies (npm ci)"
    npm ci --include=dev --prefer-offline --no-audit --no-fund 2>&1 | bp::indent
  else
    bp::step "Installing dependencies (npm install)"
    bp::detail "WARNING: no package-lock.json; commit one so builds are reproducible"
    npm install --include=dev --prefer-offline --no-audit --no-fund 2>&1 | bp::indent
  fi
}

# node::run_script BUILD_DIR NAME: runs an npm script if package.json defines it.
node::run_script() {
  local build_dir="${1}" name="${2}"
  if node::has_script "${build_dir}" "${name}"; then
    bp::step "Running ${name} (npm run ${name})"
    npm run "${name}" 2>&1 | bp::indent
  fi
}

# node::build BUILD_DIR: runs `heroku-postbuild` instead of `build` when the app
# defines it, as Heroku does; otherwise `build` if present.
node::build() {
  local build_dir="${1}"
  if node::has_script "${build_dir}" heroku-postbuild; then
    node::run_script "${build_dir}" heroku-postbuild
  elif node::has_script "${build_dir}" build; then
    node::run_script "${build_dir}" build
  else
    bp::step "No build script in package.json; skipping the build step"
  fi
}
