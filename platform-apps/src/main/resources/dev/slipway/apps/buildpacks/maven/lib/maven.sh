# shellcheck shell=bash
# Maven helpers for the maven buildpack. Sourced, never executed; needs lib/common.sh.

# maven::has_wrapper BUILD_DIR: the app ships the Maven wrapper.
maven::has_wrapper() {
  [[ -f "${1}/mvnw" && -f "${1}/.mvn/wrapper/maven-wrapper.properties" ]]
}

# maven::setup BUILD_DIR ENV_DIR REPO_LOCAL
# Sets the global arrays MVN (the Maven command) and MVN_ARGS (options common to
# every invocation) and exports MAVEN_OPTS. REPO_LOCAL is the local repository.
maven::setup() {
  local build_dir="${1}" env_dir="${2}" repo_local="${3}" value

  if maven::has_wrapper "${build_dir}"; then
    chmod +x "${build_dir}/mvnw"
    MVN=("${build_dir}/mvnw")
  elif command -v mvn >/dev/null 2>&1; then
    MVN=("$(command -v mvn)")
  else
    bp::error "No Maven found: the app has no Maven wrapper (mvnw + .mvn/wrapper/maven-wrapper.properties)" \
      "and there is no 'mvn' on PATH. Add the wrapper to the repository (mvn wrapper:wrapper)."
    return 1
  fi

  mkdir -p "${repo_local}"
  MVN_ARGS=(-B --no-transfer-progress -Dstyle.color=never "-Dmaven.repo.local=${repo_local}")

  # Extra read-only repositories consulted after the local one (Maven 3.9+).
  if value="$(bp::config MAVEN_REPO_TAIL "${env_dir}")" && [[ -n "${value}" ]]; then
    MVN_ARGS+=("-Dmaven.repo.local.tail=${value}")
  fi

  # Where the wrapper keeps its Maven distributions (default: $HOME/.m2, the build cache).
  if value="$(bp::config MAVEN_USER_HOME "${env_dir}")" && [[ -n "${value}" ]]; then
    export MAVEN_USER_HOME="${value}"
  fi

  # settings.xml: MAVEN_SETTINGS_PATH (relative to the app, or absolute), else ./settings.xml.
  if value="$(bp::config MAVEN_SETTINGS_PATH "${env_dir}")" && [[ -n "${value}" ]]; then
    [[ "${value}" = /* ]] || value="${build_dir}/${value}"
    if [[ ! -f "${value}" ]]; then
      bp::error "MAVEN_SETTINGS_PATH names a file that does not exist: ${value}"
      return 1
    fi
    MVN_ARGS+=(-s "${value}")
  elif [[ -f "${build_dir}/settings.xml" ]]; then
    MVN_ARGS+=(-s "${build_dir}/settings.xml")
  fi

  # Reproducible jars: entries dated by the commit (SOURCE_DATE_EPOCH), not by the clock, unless
  # the pom fixes its own project.build.outputTimestamp. Zip dates start in 1980.
  if [[ "${SOURCE_DATE_EPOCH:-}" =~ ^[0-9]+$ ]] && ! grep -q 'project.build.outputTimestamp' "${build_dir}/pom.xml" 2>/dev/null; then
    value="${SOURCE_DATE_EPOCH}"
    ((value >= 315619200)) || value=315619200
    MVN_ARGS+=("-Dproject.build.outputTimestamp=$(date -u -d "@${value}" '+%Y-%m-%dT%H:%M:%SZ')")
  fi

  MAVEN_OPTS="$(bp::config_or MAVEN_JAVA_OPTS "${env_dir}" '-Xmx1024m')"
  export MAVEN_OPTS
}

# maven::words VALUE: splits VALUE on whitespace into the global array WORDS
# (no glob expansion, no evaluation).
maven::words() {
  WORDS=()
  if [[ -n "${1}" ]]; then
    read -r -a WORDS <<<"${1}"
  fi
}

# maven::run DESCRIPTION ARG...: runs Maven in the current directory with MVN_ARGS
# and ARGs, output indented. Returns Maven's exit status.
maven::run() {
  local description="${1}"
  shift
  bp::step "${description}"
  bp::detail "\$ ${MVN[0]##*/} ${MVN_ARGS[*]} $*"
  "${MVN[@]}" "${MVN_ARGS[@]}" "$@" 2>&1 | bp::indent
}

# maven::drop_build_state BUILD_DIR: removes Maven's incremental-build bookkeeping
# (target/maven-status): it lists the build directory's absolute paths, which differ
# from build to build, and nothing runs from it.
maven::drop_build_state() {
  rm -rf "${1}/target/maven-status"
}

# maven::find_jar BUILD_DIR: prints target/<jar> (relative), the largest runnable
# jar in target/, ignoring sources/javadoc/tests jars and shade's original-*.jar.
maven::find_jar() {
  local build_dir="${1}" best="" best_size=-1 size jar name
  shopt -s nullglob
  for jar in "${build_dir}"/target/*.jar; do
    name="${jar##*/}"
    case "${name}" in
      *-sources.jar | *-javadoc.jar | *-tests.jar | *-test-sources.jar | original-*) continue ;;
    esac
    [[ -f "${jar}" ]] || continue
    size="$(wc -c <"${jar}")"
    if ((size > best_size)); then
      best="target/${name}"
      best_size="${size}"
    fi
  done
  shopt -u nullglob
  [[ -n "${best}" ]] && printf '%s\n' "${best}"
}

# maven::write_jdbc_profile BUILD_DIR: installs .profile.d/jdbc.sh, which sets the JDBC_DATABASE_*
# variables from DATABASE_URL whenever the app starts (Heroku's Java buildpack does the same).
maven::write_jdbc_profile() {
  mkdir -p "${1}/.profile.d"
  cp "${BP_DIR}/profile/jdbc.sh" "${1}/.profile.d/jdbc.sh"
  chmod 0644 "${1}/.profile.d/jdbc.sh"
  bp::detail "Wrote .profile.d/jdbc.sh (JDBC_DATABASE_URL from DATABASE_URL)"
}
