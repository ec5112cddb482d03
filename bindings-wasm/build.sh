#!/usr/bin/env bash
# Assemble the npm package in pkg/ and pack it to dist/wagroups-<version>.tgz.
# cargo (wasm32, size profile; twice) → wasm-bindgen (web target, one glue for every runtime) →
# wasm-opt -Os --converge (binaryen from npm) → entries + JS + types → Node entries bundled by esbuild → npm pack.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
pkg="$here/pkg"

# Two modules from one crate: the main entry's (everything), then the `wagroups/webhooks`
# entry's (the receiving side only: the `webhooks` feature). Only the small crate is rebuilt
# between the two.
rm -rf "$pkg" && mkdir -p "$pkg/glue" "$pkg/js" "$pkg/webhooks"
for module in wagroups_wasm wagroups_webhooks; do
  features=()
  [ "$module" = wagroups_webhooks ] && features=(--features webhooks)
  cargo build -q -p wagroups-wasm --target wasm32-unknown-unknown --profile wasm-release "${features[@]}"
  wasm-bindgen --target web --out-dir "$pkg/glue" --out-name "$module" --no-typescript \
    "$root/target/wasm32-unknown-unknown/wasm-release/wagroups_wasm.wasm"
  # -Os: gzips smaller than -Oz here (main module 300,646 against 301,340 B) at the same speed.
  # -ocimfs: a function called once is inlined only when small. Inlining every one of them made
  # one 90 KB function of the parse, compiled whole by the first call (9 of a cold start's ms);
  # 50 is the smallest gzip measured (299,503 B; 200 gave 300,646).
  "$here/node_modules/.bin/wasm-opt" -Os --converge -ocimfs 50 --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue --enable-simd \
    "$pkg/glue/${module}_bg.wasm" -o "$pkg/glue/${module}_bg.wasm"
done

for js in api client handler errors tape receiving webhooks node-hmac; do cp "$here/js/$js.js" "$pkg/js/"; done
cp "$here"/workerd.mjs "$here"/browser.mjs "$here/npm/index.d.ts" "$here/npm/webhooks.d.ts" "$here/npm/README.md" "$pkg/"
cp "$here"/webhooks/workerd.mjs "$here"/webhooks/browser.mjs "$pkg/webhooks/"
cp "$root/LICENSE" "$pkg/LICENSE"
# Node's entries are bundled, each into one file: every module Node loads at start-up costs it
# about half a millisecond (measured: the webhooks entry imports in 3.2 ms bundled, 8.0 ms not).
bundle() { # source, output, format
  "$here/node_modules/.bin/esbuild" "$1" --bundle --platform=node --format="$3" --log-level=error --outfile="$pkg/$2"
}
cp "$here/js/node-cjs-entry.js" "$here/js/webhooks-cjs-entry.js" "$pkg/js/"
cp "$here/node.mjs" "$pkg/node-source.mjs"
mkdir -p "$pkg/webhooks-source" && cp "$here/webhooks/node.mjs" "$pkg/webhooks-source/node.mjs"
bundle "$pkg/node-source.mjs" node.mjs esm
bundle "$pkg/webhooks-source/node.mjs" webhooks/node.mjs esm
bundle "$pkg/js/node-cjs-entry.js" node.cjs cjs
bundle "$pkg/js/webhooks-cjs-entry.js" webhooks/node.cjs cjs
rm -r "$pkg/node-source.mjs" "$pkg/webhooks-source" "$pkg/js/node-cjs-entry.js" "$pkg/js/webhooks-cjs-entry.js" "$pkg/js/node-hmac.js"
sed "s/\"version\": \"0.0.0-set-at-build\"/\"version\": \"$version\"/" "$here/npm/package.json" > "$pkg/package.json"

mkdir -p "$root/dist"
(cd "$pkg" && npm pack --silent --pack-destination "$root/dist" >/dev/null)
for module in wagroups_wasm wagroups_webhooks; do
  wasm="$pkg/glue/${module}_bg.wasm"
  echo "dist/wagroups-$version.tgz: $module.wasm $(wc -c < "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzip"
done
