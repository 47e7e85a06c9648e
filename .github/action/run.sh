#!/usr/bin/env bash
# Step 3 of action.yml: run `aftermath check` or `aftermath build` with the action's inputs.
set -euo pipefail

arguments=(--root "$ROOT")
case "$COMMAND" in
  build)
    if [ -n "$OUTPUT" ]; then arguments+=(--output "$OUTPUT"); fi
    if [ -n "$BASE_URL" ]; then arguments+=(--base-url "$BASE_URL"); fi
    if [ "${CACHE:-true}" != true ]; then arguments+=(--no-cache); fi
    ;;
  check) arguments+=(--format "$CHECK_FORMAT") ;;
  *)
    echo "::error::the aftermath action runs \`build\` or \`check\`, not \`${COMMAND}\`"
    exit 1
    ;;
esac
# Extra arguments are split on white space, as a shell would without quotes.
read -r -a extra <<<"$ARGS"
# (The ${extra[@]+...} form keeps macOS's bash 3.2 happy with an empty array under set -u.)
exec "$DIR/aftermath" "$COMMAND" "${arguments[@]}" ${extra[@]+"${extra[@]}"}
