#!/usr/bin/env bash
# Build the one-folder bundle (dist/soc2-workbench) from a clean clone; print where it is, its size and the time.
#
#   pip install -e ".[package]" && packaging/build.sh
#
# The icon files are committed (packaging/render_icons.py remakes them from the SVG), so no render step here.
# Extra arguments go to PyInstaller (e.g. --clean).
set -euo pipefail
cd "$(dirname "$0")/.."

python=python
command -v "$python" >/dev/null 2>&1 || python=python3
start=$(date +%s)
"$python" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller "$@" \
  packaging/soc2-workbench.spec
seconds=$(( $(date +%s) - start ))

bundle="$PWD/dist/soc2-workbench"
[ -x "$bundle/workbench" ] || { echo "error: $bundle/workbench : the build made no program" >&2; exit 1; }
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files), built in ${seconds} s"
