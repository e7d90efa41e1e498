# .profile.d/jdbc.sh, written by Slipway's Maven buildpack and sourced before every process of
# the app (dynos, release phase, one-off runs, test runs): JDBC_DATABASE_URL,
# JDBC_DATABASE_USERNAME and JDBC_DATABASE_PASSWORD from DATABASE_URL, as Heroku's Java buildpack
# sets them. A JDBC_DATABASE_URL set by hand wins. The query of DATABASE_URL (e.g. sslmode=require)
# is kept; no sslmode is added, since Slipway's add-on databases may be served without TLS.
# POSIX sh: it runs in whichever shell sources it.
_slipway_jdbc() {
  case "$1" in
    postgres://*) _sj_rest=${1#postgres://} ;;
    postgresql://*) _sj_rest=${1#postgresql://} ;;
    *) return 0 ;;
  esac
  case "$_sj_rest" in
    *@*/*) ;;
    *) return 0 ;;
  esac
  _sj_userinfo=${_sj_rest%%@*}
  _sj_rest=${_sj_rest#*@}
  case "$_sj_userinfo" in
    *:*) ;;
    *) return 0 ;;
  esac
  _sj_user=${_sj_userinfo%%:*}
  _sj_password=${_sj_userinfo#*:}
  _sj_hostport=${_sj_rest%%/*}
  _sj_path=${_sj_rest#*/}
  _sj_database=${_sj_path%%\?*}
  _sj_query=
  case "$_sj_path" in
    *\?*) _sj_query=${_sj_path#*\?} ;;
  esac
  if [ -z "$_sj_user" ] || [ -z "$_sj_password" ] || [ -z "$_sj_hostport" ] \
    || [ -z "$_sj_database" ]; then
    return 0
  fi
  JDBC_DATABASE_URL="jdbc:postgresql://${_sj_hostport}/${_sj_database}?${_sj_query:+${_sj_query}&}user=${_sj_user}&password=${_sj_password}"
  JDBC_DATABASE_USERNAME=$_sj_user
  JDBC_DATABASE_PASSWORD=$_sj_password
  export JDBC_DATABASE_URL JDBC_DATABASE_USERNAME JDBC_DATABASE_PASSWORD
}
if [ -n "${DATABASE_URL:-}" ] && [ -z "${JDBC_DATABASE_URL:-}" ]; then
  _slipway_jdbc "$DATABASE_URL"
fi
unset _sj_rest _sj_userinfo _sj_user _sj_password _sj_hostport _sj_path _sj_database _sj_query
unset -f _slipway_jdbc
