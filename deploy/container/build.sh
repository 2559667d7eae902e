#!/usr/bin/env bash
# Builds the container image of the one host executable (deploy/container/Containerfile) with Debian's buildah, tagged
# localhost/printflow/host:dev (what the dev overlay of deploy/k8s runs), and checks it runs as a non-root user.
# Where the machine cannot build it (no base image here and no registry to pull one from, or buildah cannot work in
# this sandbox), it builds nothing and says why on its last line, exiting 3, so ./test.sh counts it as skipped,
# never as passed.
#
#   deploy/container/build.sh [--prusaslicer] [--tag localhost/printflow/host:dev]
#
# Exit: 0 built; 3 skipped (the last line says why); anything else failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/lib.sh" # apt_install

tag=localhost/printflow/host:dev
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --prusaslicer) args+=(--build-arg WITH_PRUSASLICER=true); shift ;;
    --tag) tag="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
skip() { echo "container image: skipped, not built: $1"; exit 3; }

if ! command -v buildah >/dev/null 2>&1; then
  apt_install buildah >/dev/null 2>&1 || skip "Debian's buildah could not be installed (apt-get install buildah failed)"
fi
# buildah's storage and user namespaces work here at all (a scratch container costs nothing).
if ! probe=$(buildah from scratch 2>&1); then
  skip "buildah cannot create a container on this machine: $(tail -n 1 <<<"$probe")"
fi
buildah rm "$probe" >/dev/null 2>&1

# The two base images, from the local store or pulled; offline, neither is available.
for image in $(awk '/^FROM /{print $2}' "$here/Containerfile" | sed 's/\${DOTNET_VERSION}/10.0/'); do
  if ! buildah inspect --type image "$image" >/dev/null 2>&1; then
    if ! pulled=$(timeout 120 buildah pull -q "$image" 2>&1); then
      skip "base image $image is not on this machine and its registry cannot be reached ($(tail -n 1 <<<"$pulled" | sed 's/.*: //'))"
    fi
  fi
done

echo "== Building $tag"
started=$(date +%s)
buildah build --layers -f "$here/Containerfile" -t "$tag" "${args[@]}" "$root" || { echo "container image: build FAILED"; exit 1; }
user=$(buildah inspect --type image --format '{{.OCIv1.Config.User}}' "$tag")
case "$user" in
  ""|0|root|0:*|root:*) echo "container image: FAILED, it runs as root (USER '$user')"; exit 1 ;;
esac
size=$(buildah images --format '{{.Size}}' "$tag" | head -1)
echo "container image: built $tag in $(( $(date +%s) - started )) s, $size, user $user"
