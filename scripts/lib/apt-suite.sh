# Sourced by scripts/*.sh: add_apt_suite SUITE PRIORITY — another Debian suite as an apt source,
# with the same mirror the system's debian.sources names, pinned at PRIORITY so that only
# packages asked for by name (pkg/suite, or a version of that suite) come from it.
# Returns 0 when it added the suite (the caller then runs apt-get update), 1 when it was there.
add_apt_suite() {
  local suite=$1 priority=$2 uri
  [ -f "/etc/apt/sources.list.d/multiarch-$suite.sources" ] && return 1
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  printf '[apt] adding Debian %s (%s) at pin priority %s\n' "$suite" "$uri" "$priority" >&2
  as_root tee "/etc/apt/sources.list.d/multiarch-$suite.sources" >/dev/null <<SRC
Types: deb
URIs: $uri
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  as_root tee "/etc/apt/preferences.d/multiarch-$suite" >/dev/null <<PIN
Package: *
Pin: release n=$suite
Pin-Priority: $priority
PIN
  return 0
}
