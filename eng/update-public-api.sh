#!/usr/bin/env bash
# Records every new public symbol of the shipping libraries in their PublicAPI.Unshipped.txt
# (the PublicApiAnalyzers code fix, applied from the command line), then sorts the files.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/*/*.csproj; do
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn >/dev/null 2>&1 || true
  file="$(dirname "$project")/PublicAPI.Unshipped.txt"
  { echo '#nullable enable'; grep -v '^#nullable enable$' "$file" | LC_ALL=C sort -u; } > "$file.tmp"
  mv "$file.tmp" "$file"
done
