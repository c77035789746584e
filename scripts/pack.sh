#!/usr/bin/env bash
# Packs MultiLabel.Native, MultiLabel.Vision, MultiLabel.Views and MultiLabel.Interactive (with .snupkg symbols) into
# artifacts/packages, checks them and prints the version on its last line.
#   scripts/pack.sh                  a local build: VERSION plus a -local.<time> suffix (the kernel caches a package by
#                                    version, so every local build gets its own)
#   scripts/pack.sh --release        exactly VERSION, from a clean checkout whose origin is the public repository
#                                    (SourceLink puts its URL and the commit into the packages and their symbols)
#   --no-kernel-check                skip the kernel check (the main command executes the notebooks with the kernel anyway)
#   MULTILABEL_BASELINE_VERSION=x    package validation against the published version x (API compatibility)
# Checks: each package has its README, icon, licence and dependencies on the same version; each .snupkg holds the pdb of
# each assembly with SourceLink and paths mapped to /_/ (deterministic); in release, the repository URL and commit are
# there. Then, unless skipped, notebooks/00-smoke.ipynb is executed from a folder outside the repository by Jupyter's
# client with the .net-csharp kernel and an empty NuGet cache (the other packages from the existing cache, read-only):
# its first cell is the README's #r lines, so the packages must restore from artifacts/packages alone and the extension
# must load.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
release=0
kernel_check=1
for arg in "$@"; do
  case "$arg" in
    --release) release=1 ;;
    --no-kernel-check) kernel_check=0 ;;
    *) echo "unknown option: $arg (scripts/pack.sh [--release] [--no-kernel-check])" >&2; exit 2 ;;
  esac
done

base="$(tr -d '[:space:]' < VERSION)"
if [ $release = 1 ]; then
  version="$base"
  [ -z "$(git status --porcelain)" ] || { echo "pack.sh --release: the working tree has changes; commit them first" >&2; exit 1; }
  origin="$(git remote get-url origin 2>/dev/null || true)"
  case "$origin" in
    https://*) ;;
    *) echo "pack.sh --release: origin is '${origin:-none}'; SourceLink needs the public repository's https URL (git remote set-url origin https://…)" >&2; exit 1 ;;
  esac
else
  version="${MULTILABEL_VERSION:-$base-local.$(date -u +%Y%m%d%H%M%S)}"
fi

out="$root/artifacts/packages"
mkdir -p "$out"
packages=(MultiLabel.Native MultiLabel.Vision MultiLabel.Views MultiLabel.Interactive)
for id in "${packages[@]}"; do
  rm -f "$out/$id.$version.nupkg" "$out/$id.$version.snupkg"
  dotnet pack "src/$id" -c Release -o "$out" -p:Version="$version" -p:ContinuousIntegrationBuild=true --nologo -v quiet \
    ${MULTILABEL_BASELINE_VERSION:+-p:MultiLabelBaselineVersion="$MULTILABEL_BASELINE_VERSION"} >&2
done

fail() { echo "pack.sh: $*" >&2; exit 1; }
# unzip where installed, else Python's zipfile (Debian's python3 comes with Jupyter's client).
extract() { if command -v unzip >/dev/null; then unzip -q -o "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi; }
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
for id in "${packages[@]}"; do
  nupkg="$out/$id.$version.nupkg"
  snupkg="$out/$id.$version.snupkg"
  [ -f "$nupkg" ] || fail "no $nupkg"
  [ -f "$snupkg" ] || fail "no symbol package $snupkg"
  rm -rf "$unpacked/$id" "$unpacked/$id.symbols" && extract "$nupkg" "$unpacked/$id" && extract "$snupkg" "$unpacked/$id.symbols"
  pdb="$unpacked/$id.symbols/lib/net10.0/$id.pdb"
  nuspec="$(cat "$unpacked/$id/$id.nuspec")"
  for field in '<readme>README.md</readme>' '<icon>icon.png</icon>' '<license type="expression">MIT</license>' '<description>'; do
    grep -qF "$field" <<<"$nuspec" || fail "$id: the .nuspec lacks $field"
  done
  for file in README.md icon.png LICENSE "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    [ -f "$unpacked/$id/$file" ] || fail "$id: the package lacks $file"
  done
  [ -f "$pdb" ] || fail "$id: the symbol package lacks lib/net10.0/$id.pdb"
  for dep in $(grep -oE 'dependency id="MultiLabel\.[A-Za-z]+" version="[^"]+"' <<<"$nuspec" | sed -E 's/.*version="([^"]+)"/\1/'); do
    [ "$dep" = "$version" ] || fail "$id depends on a MultiLabel package at $dep, not $version"
  done
  [ "$(head -c 4 "$pdb")" = BSJB ] || fail "$id: the symbol package's pdb is not a portable pdb"
  # A deterministic build names its pdb by the mapped path, not by this machine's folders.
  grep -aqF "/_/src/$id/" "$unpacked/$id/lib/net10.0/$id.dll" || fail "$id: the assembly's paths are not mapped to /_/"
  if [ $release = 1 ]; then
    grep -qE '<repository type="git" url="https://[^"]+" .*commit="[0-9a-f]{40}"' <<<"$nuspec" || fail "$id: no repository URL and commit in the .nuspec"
    grep -qF '<projectUrl>https://' <<<"$nuspec" || fail "$id: no project URL"
    grep -aqF '{"documents":{"/_/*":"https://' "$pdb" || fail "$id: the pdb has no SourceLink map for /_/"
  fi
done
echo "checked ${#packages[@]} packages and their symbols: README, icon, licence, dependencies at $version, paths mapped to /_/$([ $release = 1 ] && echo ', SourceLink to the commit')" >&2

if [ $kernel_check = 1 ]; then
  scripts/install-jupyter-client.sh
  dotnet tool restore >/dev/null
  scripts/install-jupyter-kernel.sh >&2
  check="$(mktemp -d)"
  trap 'rm -rf "$unpacked" "$check"' EXIT
  cp notebooks/00-smoke.ipynb "$check/"
  # An empty cache: the MultiLabel packages can only come from artifacts/packages; the rest is read from the existing
  # cache as a fallback folder (nothing is downloaded).
  cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  (cd "$check" && NUGET_PACKAGES="$check/nuget" RestoreFallbackFolders="$cache" RestoreAdditionalProjectSources="$out" \
    jupyter nbconvert --to notebook --execute 00-smoke.ipynb --output executed.ipynb \
      --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=600 >"$check/log" 2>&1) \
    || { cat "$check/log" >&2; fail "notebooks/00-smoke.ipynb failed in a kernel started outside the repository"; }
  for id in "${packages[@]}"; do
    lower="$(tr '[:upper:]' '[:lower:]' <<<"$id")"
    restored="$check/nuget/$lower/$version/$lower.$version.nupkg"
    [ -f "$restored" ] || fail "the kernel did not restore $id $version from $out (found: $(ls "$check/nuget/$lower" 2>/dev/null | tr '\n' ' '))"
    cmp -s "$restored" "$out/$id.$version.nupkg" || fail "the kernel restored a different $id $version"
  done
  echo "a kernel started in $check restored the packages from $out alone and ran notebooks/00-smoke.ipynb" >&2
fi
echo "$version"
