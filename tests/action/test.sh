#!/usr/bin/env bash
# Runs the three steps of action.yml (.github/action/*.sh) as GitHub would, against a fake
# release: a stub `gh` serves archives of the freshly built binary. Proves that the release
# is picked by the pinned ref, that a tampered archive is refused, and that check and build
# run with the action's inputs. Usage: tests/action/test.sh path/to/aftermath
set -euo pipefail
binary="$(realpath "$1")"
repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
scripts="$repo_root/.github/action"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The fake release: the real binary, packed and summed the way release.yml does it.
releases="$work/releases"
mkdir -p "$releases/v0.10.0" "$work/pack" "$work/bin"
cp "$binary" "$work/pack/aftermath"
tar -czf "$releases/v0.10.0/aftermath-x86_64-unknown-linux-musl.tar.gz" -C "$work/pack" aftermath
(cd "$releases/v0.10.0" && sha256sum aftermath-x86_64-unknown-linux-musl.tar.gz >aftermath-x86_64-unknown-linux-musl.tar.gz.sha256)
cat >"$work/bin/gh" <<STUB
#!/usr/bin/env bash
set -euo pipefail
case "\$1 \$2" in
  "api repos/acme/aftermath/releases") printf '%s\n' v0.9.0 v0.10.0 v1.0.0 v0.2.0 ;;
  "release download")
    tag="\$3"; shift 3
    while [ \$# -gt 0 ]; do
      case "\$1" in --pattern) cp "$releases/\$tag/\$2" . ; shift 2 ;; *) shift ;; esac
    done ;;
  *) echo "unexpected gh \$*" >&2; exit 2 ;;
esac
STUB
chmod +x "$work/bin/gh"
export PATH="$work/bin:$PATH" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TOOL_CACHE="$work/tools"

fail() { echo "action test: $*" >&2; exit 1; }
output_of() { grep "^$1=" "$GITHUB_OUTPUT" | tail -n 1 | cut -d= -f2-; }

# Pinned to @v0: the newest v0 release by version order (v0.10.0, not v0.9.0 or v1.0.0).
export GITHUB_OUTPUT="$work/outputs" ACTION_REPOSITORY=acme/aftermath ACTION_REF=v0 INPUT_VERSION=
bash "$scripts/resolve.sh" >/dev/null
[ "$(output_of version)" = v0.10.0 ] || fail "resolved $(output_of version), expected v0.10.0"
[ "$(output_of asset)" = aftermath-x86_64-unknown-linux-musl.tar.gz ] || fail "asset $(output_of asset)"
# Pinned to an exact release, or given one: that release, whatever the list says.
ACTION_REF=v0.9.0 bash "$scripts/resolve.sh" >/dev/null
[ "$(output_of version)" = v0.9.0 ] || fail "resolved $(output_of version) for @v0.9.0"
INPUT_VERSION=0.2.0 bash "$scripts/resolve.sh" >/dev/null
[ "$(output_of version)" = v0.2.0 ] || fail "resolved $(output_of version) for version 0.2.0"
# A runner without a release binary is told how to install from source.
if RUNNER_OS=FreeBSD bash "$scripts/resolve.sh" >"$work/freebsd" 2>&1; then fail "FreeBSD resolved"; fi
grep -q "cargo install --locked --git https://github.com/acme/aftermath" "$work/freebsd" || fail "no FreeBSD hint"

# A tampered archive is refused and nothing is installed.
export REPOSITORY=acme/aftermath VERSION=v0.10.0 ASSET=aftermath-x86_64-unknown-linux-musl.tar.gz
cp "$releases/v0.10.0/$ASSET" "$work/good.tar.gz"
echo tampered >>"$releases/v0.10.0/$ASSET"
if DIR="$work/tampered" bash "$scripts/install.sh" >/dev/null 2>&1; then fail "a tampered archive was installed"; fi
[ ! -e "$work/tampered/aftermath" ] || fail "a tampered binary was unpacked"
cp "$work/good.tar.gz" "$releases/v0.10.0/$ASSET"

# The real archive installs, and the installed binary checks and builds the demo site.
export DIR="$work/tools/aftermath/v0.10.0/x86_64-unknown-linux-musl"
bash "$scripts/install.sh" >/dev/null
[ -x "$DIR/aftermath" ] || fail "no binary in $DIR"
export ROOT="$repo_root" BASE_URL=https://example.org/status/ CHECK_FORMAT=github ARGS="--as-of 2026-11-23T12:00:00Z"
COMMAND=check OUTPUT='' bash "$scripts/run.sh" >"$work/check" || fail "check failed: $(cat "$work/check")"
# The build cache: kept in the root by default, not touched with cache: false.
mkdir "$work/root-copy"
cp -r "$repo_root/content" "$repo_root/aftermath.toml" "$work/root-copy/"
ROOT="$work/root-copy" CACHE=false COMMAND=build OUTPUT="$work/uncached" bash "$scripts/run.sh" >/dev/null 2>&1 || fail "build without cache failed"
[ ! -e "$work/root-copy/.aftermath-cache" ] || fail "cache: false wrote a cache"
ROOT="$work/root-copy" CACHE=true COMMAND=build OUTPUT="$work/site" bash "$scripts/run.sh" >/dev/null 2>&1 || fail "build failed"
[ -d "$work/root-copy/.aftermath-cache/bodies" ] || fail "no build cache"
diff -r "$work/uncached" "$work/site" >/dev/null || fail "the cached build differs"
grep -q 'https://example.org/status/' "$work/site/sitemap.xml" || fail "base-url not applied"
if COMMAND=serve OUTPUT='' bash "$scripts/run.sh" >/dev/null 2>&1; then fail "serve accepted"; fi
echo "action test: passed"
