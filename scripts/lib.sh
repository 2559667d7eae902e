# Shared by the scripts that install Debian packages and start servers. Sourced, not run.

# Commands that need root go through "${as_root[@]}": nothing when root, sudo otherwise.
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

# need_root WHAT: stops with a sentence when neither root nor sudo can do WHAT.
need_root() {
  if [ ${#as_root[@]} -gt 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "Need root (or sudo) to $1" >&2
    exit 1
  fi
}

# apt_install PACKAGE...: installs Debian packages quietly, without recommends.
apt_install() {
  need_root "install: $*"
  echo "Installing $* from Debian..."
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
