#!/usr/bin/env bash
# Builds and lints the bicep with the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64, restored by cli/BicepCli.csproj).
# bicepconfig.json makes every lint rule an error; this script also fails on any other diagnostic (a compiler warning).
set -euo pipefail
cd "$(dirname "$0")"

packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
bicep="$packages/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep"
[ -f "$bicep" ] || dotnet restore cli/BicepCli.csproj -v q >/dev/null
if [ ! -x "$bicep" ]; then
  # The package ships the binary rwxr--r--: its owner chmods it, anyone else runs an executable copy.
  chmod u+x "$bicep" 2>/dev/null || { cp "$bicep" "${TMPDIR:-/tmp}/bicep-0.49.2" && chmod u+x "${TMPDIR:-/tmp}/bicep-0.49.2" && bicep="${TMPDIR:-/tmp}/bicep-0.49.2"; }
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
diagnostics=$( { "$bicep" build main.bicep --outdir "$out" && "$bicep" lint main.bicep; } 2>&1 ) || { echo "$diagnostics"; echo "bicep: failed"; exit 1; }
if [ -n "$diagnostics" ]; then
  echo "$diagnostics"
  echo "bicep: diagnostics above fail the check"
  exit 1
fi
echo "bicep: main.bicep and its modules build and lint clean ($("$bicep" --version))"
