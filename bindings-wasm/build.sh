#!/usr/bin/env bash
# Assemble the npm package in pkg/ and pack it to dist/wagroups-<version>.tgz.
# cargo (wasm32, size profile) → wasm-bindgen (web target, one glue for every runtime) →
# wasm-opt -Oz --converge (binaryen from npm) → entries + JS + types → node.cjs bundled by esbuild → npm pack.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
pkg="$here/pkg"

cargo build -q -p wagroups-wasm --target wasm32-unknown-unknown --profile wasm-release
rm -rf "$pkg" && mkdir -p "$pkg/glue" "$pkg/js"
wasm-bindgen --target web --out-dir "$pkg/glue" --out-name wagroups_wasm --no-typescript \
  "$root/target/wasm32-unknown-unknown/wasm-release/wagroups_wasm.wasm"
"$here/node_modules/.bin/wasm-opt" -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$pkg/glue/wagroups_wasm_bg.wasm" -o "$pkg/glue/wagroups_wasm_bg.wasm"

cp "$here"/js/api.js "$here"/js/client.js "$here"/js/errors.js "$here"/js/texts.js "$pkg/js/"
cp "$here"/node.mjs "$here"/workerd.mjs "$here"/browser.mjs "$here/npm/index.d.ts" "$here/npm/README.md" "$pkg/"
cp "$root/LICENSE" "$pkg/LICENSE"
cp "$here/js/node-cjs-entry.js" "$pkg/js/node-cjs-entry.js"
"$here/node_modules/.bin/esbuild" "$pkg/js/node-cjs-entry.js" --bundle --platform=node --format=cjs \
  --log-level=error --outfile="$pkg/node.cjs"
rm "$pkg/js/node-cjs-entry.js"
sed "s/\"version\": \"0.0.0-set-at-build\"/\"version\": \"$version\"/" "$here/npm/package.json" > "$pkg/package.json"

mkdir -p "$root/dist"
(cd "$pkg" && npm pack --silent --pack-destination "$root/dist" >/dev/null)
wasm="$pkg/glue/wagroups_wasm_bg.wasm"
echo "dist/wagroups-$version.tgz: .wasm $(wc -c < "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzip"
