#!/usr/bin/env bash
# Install the Linux bundle and its desktop integration under a prefix (default /usr/local; ~/.local for one user).
#
#   packaging/linux/install.sh [--prefix DIR] [--bundle DIR | --no-bundle]
#
# DESTDIR is honoured as usual (staging for a distribution package); with DESTDIR set, the desktop, MIME and icon
# caches are left for the package's own triggers. --no-bundle installs only the desktop integration files.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
app_id="org.soc2workbench.Workbench"
icon="soc2-workbench"
prefix="/usr/local"
bundle="$repo/dist/soc2-workbench"
with_bundle=1

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --bundle) bundle="$2"; shift 2 ;;
    --no-bundle) with_bundle=0; shift ;;
    *) echo "usage: $0 [--prefix DIR] [--bundle DIR | --no-bundle]" >&2; exit 2 ;;
  esac
done
root="${DESTDIR:-}$prefix"

if [ "$with_bundle" = 1 ]; then
  if [ ! -x "$bundle/workbench" ]; then
    echo "error: $bundle : no bundle there; build it first with packaging/build.sh" >&2
    exit 2
  fi
  rm -rf "$root/lib/soc2-workbench"
  mkdir -p "$root/lib" "$root/bin"
  cp -a "$bundle" "$root/lib/soc2-workbench"
  ln -sfn "../lib/soc2-workbench/workbench" "$root/bin/workbench"
fi

install -Dm644 "$here/$app_id.desktop" "$root/share/applications/$app_id.desktop"
install -Dm644 "$here/$app_id.metainfo.xml" "$root/share/metainfo/$app_id.metainfo.xml"
install -Dm644 "$here/$app_id.mime.xml" "$root/share/mime/packages/$app_id.xml"
install -Dm644 "$repo/resources/icons/app/$icon.svg" "$root/share/icons/hicolor/scalable/apps/$icon.svg"
for png in "$repo/resources/icons/app/$icon"-*.png; do
  size="${png##*-}"
  size="${size%.png}"
  install -Dm644 "$png" "$root/share/icons/hicolor/${size}x${size}/apps/$icon.png"
done

if [ -z "${DESTDIR:-}" ]; then
  command -v update-mime-database >/dev/null && update-mime-database "$root/share/mime" || true
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$root/share/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -qtf "$root/share/icons/hicolor" || true
fi
echo "installed under $root"
