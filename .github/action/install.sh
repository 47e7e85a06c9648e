#!/usr/bin/env bash
# Step 2 of action.yml (on a cache miss): download the release archive and its .sha256,
# verify the checksum, unpack the binary into $DIR.
set -euo pipefail

work="$(mktemp -d)"
cd "$work"
gh release download "$VERSION" --repo "$REPOSITORY" --pattern "$ASSET" --pattern "$ASSET.sha256"

if command -v sha256sum >/dev/null 2>&1; then
  sha256sum --check --strict "$ASSET.sha256"
else
  shasum --algorithm 256 --check "$ASSET.sha256"
fi

mkdir -p "$DIR"
case "$ASSET" in
  *.zip)
    if command -v unzip >/dev/null 2>&1; then unzip -q -o "$ASSET" -d "$DIR"; else 7z x -y -o"$DIR" "$ASSET" >/dev/null; fi
    ;;
  *) tar -xzf "$ASSET" -C "$DIR" ;;
esac
rm -rf "$work"
"$DIR/aftermath" --version
