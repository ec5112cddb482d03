#!/usr/bin/env bash
# A fresh project that installs the packed tarball the way a user would (npm install <tgz>),
# with the shared runner and the corpus beside it. Prints the project's path.
set -euo pipefail
tgz=$(realpath "$1"); proj=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$proj" && mkdir -p "$proj"
cd "$proj"
printf '{"name":"wagroups-user","private":true,"type":"module"}\n' > package.json
npm install --no-audit --no-fund --silent "$tgz" >/dev/null
cp "$here/runner.mjs" "$here/run-node.mjs" "$here/run-node.cjs" "$here/run-runtime.mjs" "$here/check.cjs" "$here/usage.ts" "$here/worker.mjs" "$here/page.html" .
node --input-type=module -e "
import { loadCases } from '$here/corpus.mjs';
import { writeFileSync } from 'node:fs';
writeFileSync('cases.json', JSON.stringify(loadCases()));
"
echo "$proj"
