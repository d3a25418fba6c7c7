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

# fetch_deb_binary SUITE PRIORITY PACKAGE VERSION PATH_IN_DEB DEST — download one package of SUITE
# (added by add_apt_suite at PRIORITY) and install the one binary at PATH_IN_DEB as DEST (0755,
# moved into place whole); nothing else of the package is installed. apt-get update runs only when
# the suite is new or the version is not known yet.
fetch_deb_binary() {
  local suite=$1 priority=$2 package=$3 version=$4 inside=$5 dest=$6 work
  if add_apt_suite "$suite" "$priority"; then
    as_root apt-get update -qq >&2
  elif ! apt-cache show "$package=$version" >/dev/null 2>&1; then
    as_root apt-get update -qq >&2
  fi
  work=$(mktemp -d)
  printf '[apt] downloading %s=%s\n' "$package" "$version" >&2
  (cd "$work" && apt-get download -q "$package=$version" >&2) &&
    dpkg-deb -x "$work/${package}"_*.deb "$work/x" &&
    [ -x "$work/x/$inside" ] &&
    as_root mkdir -p "$(dirname "$dest")" &&
    as_root install -m 0755 "$work/x/$inside" "$dest.tmp" &&
    as_root mv "$dest.tmp" "$dest"
  local status=$?
  rm -rf "$work"
  [ "$status" = 0 ] || printf '[apt] no %s in %s=%s\n' "$inside" "$package" "$version" >&2
  return "$status"
}
