#!/usr/bin/env bash
# Step 1 of action.yml: which release, which target, which asset, where it lives.
# Writes repository, version, target, asset and dir to $GITHUB_OUTPUT.
set -euo pipefail

# The repository the action was used from (a fork's releases for a fork).
repository="${ACTION_REPOSITORY:-aftermath-ssg/aftermath}"

case "${RUNNER_OS}-${RUNNER_ARCH}" in
  Linux-X64) target=x86_64-unknown-linux-musl ;;
  Linux-ARM64) target=aarch64-unknown-linux-musl ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  # Windows on Arm runs the x86_64 binary under emulation.
  Windows-X64 | Windows-ARM64) target=x86_64-pc-windows-msvc ;;
  *)
    echo "::error::aftermath has no release binary for ${RUNNER_OS} ${RUNNER_ARCH}; install it with cargo install --locked --git https://github.com/${repository}"
    exit 1
    ;;
esac

version="${INPUT_VERSION}"
if [ -z "$version" ] && [[ "${ACTION_REF:-}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  version="$ACTION_REF"
fi
if [ -z "$version" ]; then
  # Pinned to a major version (@v0), a branch or a commit: the newest published release of
  # that major version (v0 for anything that is not a major tag).
  major=v0
  if [[ "${ACTION_REF:-}" =~ ^v[0-9]+$ ]]; then major="$ACTION_REF"; fi
  version="$(gh api "repos/${repository}/releases" --paginate \
    --jq '.[] | select(.draft | not) | select(.prerelease | not) | .tag_name' \
    | grep -E "^${major}\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1 || true)"
  if [ -z "$version" ]; then
    echo "::error::no published ${major}.x.y release in ${repository}"
    exit 1
  fi
fi
case "$version" in v*) ;; *) version="v${version}" ;; esac

case "$target" in
  *windows*) asset="aftermath-${target}.zip" ;;
  *) asset="aftermath-${target}.tar.gz" ;;
esac

{
  echo "repository=${repository}"
  echo "version=${version}"
  echo "target=${target}"
  echo "asset=${asset}"
  echo "dir=${RUNNER_TOOL_CACHE}/aftermath/${version}/${target}"
} >>"$GITHUB_OUTPUT"
echo "aftermath ${version} for ${target}"
