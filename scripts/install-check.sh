#!/usr/bin/env bash
# Runs the README's install lines (the blocks marked `<!-- install: npm|python|rust -->`) in
# scratch directories, /path/to/wagroups standing for this clone, then uses each install: the
# npm package imported by name, the Python package imported from a fresh venv, the crate built
# into a new Cargo project. Prints "install lines: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
block() { # name: the fenced block after its marker, /path/to/wagroups replaced by this clone
  python3 - "$root/README.md" "$1" "$root" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"<!-- install: %s -->\n```\w*\n(.*?)```" % re.escape(sys.argv[2]), text, re.S)
if not m:
    sys.exit(f"README has no install block for {sys.argv[2]}")
print(m.group(1).replace("/path/to/wagroups", sys.argv[3]), end="")
PY
}
passed=0; failed=0
check() { # name, then the command that proves the install works
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok  $name"; else failed=$((failed + 1)); echo "FAILED  $name" >&2; fi
}

npm_lines() {
  mkdir -p "$work/npm" && cd "$work/npm" && npm init -y >/dev/null &&
    bash -euo pipefail -c "$(block npm)" >/dev/null &&
    node --input-type=module -e '
      import { parseWebhook, version } from "wagroups";
      const batch = parseWebhook(JSON.stringify({ object: "whatsapp_business_account", entry: [] }));
      if (!Array.isArray(batch.events)) throw new Error("no batch");
      console.log(`wagroups ${version()} imported by name`);'
}

python_lines() {
  mkdir -p "$work/py" && cd "$work/py" &&
    bash -euo pipefail -c "$(block python)" >/dev/null 2>&1 &&
    .venv/bin/python -c '
import wagroups
batch = wagroups.parse_webhook(b"{\"object\":\"whatsapp_business_account\",\"entry\":[]}")
assert batch["events"] == []
print("wagroups", wagroups.__version__, "imported from a fresh venv")'
}

rust_lines() {
  cd "$work" && cargo new -q --vcs none scratch && cd scratch &&
    block rust | sed '1{/^\[dependencies\]$/d}' >> Cargo.toml &&
    cat > src/main.rs <<'RS' &&
fn main() {
    let batch = wagroups::parse_webhook(br#"{"object":"whatsapp_business_account","entry":[]}"#)
        .expect("a delivery");
    assert!(batch.events.is_empty());
    println!("wagroups built as a path dependency");
}
RS
    # The clone's target directory: dependencies already built there are reused.
    CARGO_TARGET_DIR="$root/target/install-check" cargo run -q
}

check "npm: make npm, then npm install of the tarball into a new project" npm_lines
check "python: pip install ./bindings-python into a fresh venv" python_lines
check "rust: a path dependency in a new Cargo project" rust_lines
echo "install lines: $passed passed, $failed failed"
[ "$failed" = 0 ]
