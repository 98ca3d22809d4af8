# shellcheck shell=bash
# Sourced by the project's scripts: selects a JDK >= 21 and exports JAVA_HOME and PATH.
# Looks at $JAVA_HOME, the `java` on PATH, then every JDK under /usr/lib/jvm and /opt.

# The major version of the java at $1: from its JDK's `release` file when there is one (no JVM start,
# which costs ~0.1 s per candidate and would be paid by every frostbyte-verify run), else by asking it.
frostbyte_java_major() {
  local release line version
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) version=${line#JAVA_VERSION=}; version=${version//\"/}; break ;;
      esac
    done <"$release"
  fi
  if [ -n "${version:-}" ]; then
    version=${version#1.}
    echo "${version%%[!0-9]*}"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

# Usage: frostbyte_pick_jdk [jre]   (with "jre" a runtime without javac is enough)
frostbyte_pick_jdk() {
  local need_javac=1 candidate home major
  [ "${1:-}" = "jre" ] && need_javac=0
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    [ "$need_javac" = 1 ] && [ ! -x "$home/bin/javac" ] && continue
    major=$(frostbyte_java_major "$home/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$home"
      export PATH="$home/bin:$PATH"
      return 0
    fi
  done
  echo "No JDK >= 21 found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm, /opt)." >&2
  echo "Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it, then run this again." >&2
  return 1
}
