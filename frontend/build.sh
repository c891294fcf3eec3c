#!/bin/sh
# Builds LIFT's committed front-end assets into src/lift/core/static/lift/.
# Needs Node and `npm ci` first; running LIFT never does.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/lift/core/static/lift"
govuk="$here/node_modules/govuk-frontend/dist/govuk"

if [ ! -d "$govuk" ]; then
  echo "govuk-frontend is not installed: run 'npm ci' in $here first." >&2
  exit 1
fi

mkdir -p "$out"

# Compressed CSS, no source map (the sources are not served).
"$here/node_modules/.bin/sass" --pkg-importer=node --style=compressed --no-source-map \
  --quiet-deps "$here/lift.scss" "$out/lift.css"

# GOV.UK Frontend's JavaScript as an ES module, imported by lift.js.
cp "$govuk/govuk-frontend.min.js" "$out/govuk-frontend.min.js"
# The map's "file" entry names govuk-frontend.min.js; ship it so browser tools resolve it.
cp "$govuk/govuk-frontend.min.js.map" "$out/govuk-frontend.min.js.map"

# No images or fonts are copied: LIFT uses no crown, no GOV.UK logo, no GDS Transport.
# Guard against a setting change that would reference them from the CSS.
if grep -Eq 'govuk-crest|GDS Transport|\.woff2?' "$out/lift.css"; then
  echo "lift.css references GOV.UK-only fonts or images" >&2
  exit 1
fi

version=$(node -p "require('$here/node_modules/govuk-frontend/package.json').version")
echo "Built lift.css and govuk-frontend.min.js (GOV.UK Frontend $version) in $out"
