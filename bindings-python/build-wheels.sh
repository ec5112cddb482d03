#!/usr/bin/env bash
# Build the portable wheels into dist/ and check that each is what its tag promises:
#   manylinux2014 x86_64 (the one the tests install), manylinux2014 aarch64, musllinux_1_2 x86_64.
# zig links against old glibc symbol versions and against musl, so no manylinux container is needed.
# Usage: build-wheels.sh VENV [all|x86_64]
set -euo pipefail
venv=$(realpath "$1"); which=${2:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$venv/bin:$PATH"   # maturin runs `python -m ziglang`: it must be this venv's python
cd "$root"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

build() { # target compatibility
  maturin build --release --quiet --zig --target "$1" --compatibility "$2" \
    -m bindings-python/Cargo.toml -o dist >/dev/null
}

check_manylinux() { # wheel arch
  local out; out=$(auditwheel show "$1")
  grep -q "manylinux_2_17_$2" <<<"$out" || { echo "$out" >&2; echo "$1: not manylinux_2_17_$2" >&2; exit 1; }
  echo "ok  $(basename "$1"): auditwheel says manylinux_2_17_$2"
}

# auditwheel cannot read a musl wheel on a glibc host: check its library directly. It must link
# the musl libc and use no glibc symbol version.
check_musl() { # wheel
  local work; work=$(mktemp -d)
  python -m zipfile -e "$1" "$work"
  local so; so=$(find "$work" -name '*.so' | head -n 1)
  readelf -d "$so" | grep -q 'NEEDED.*libc.so' || { echo "$1: does not link libc.so" >&2; exit 1; }
  if readelf -V "$so" | grep -q 'GLIBC_'; then echo "$1: uses glibc symbol versions" >&2; exit 1; fi
  rm -rf "$work"
  echo "ok  $(basename "$1"): links musl libc.so, no GLIBC_ symbol versions"
}

rustup target list --installed | grep -q '^x86_64-unknown-linux-gnu$' || rustup target add x86_64-unknown-linux-gnu
rm -f dist/wagroups-"$version"-*.whl
build x86_64-unknown-linux-gnu manylinux2014
check_manylinux dist/wagroups-"$version"-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl x86_64
[ "$which" = x86_64 ] && exit 0

for t in aarch64-unknown-linux-gnu x86_64-unknown-linux-musl; do
  rustup target list --installed | grep -q "^$t\$" || rustup target add "$t"
done
build aarch64-unknown-linux-gnu manylinux2014
check_manylinux dist/wagroups-"$version"-cp39-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl aarch64
build x86_64-unknown-linux-musl musllinux_1_2
check_musl dist/wagroups-"$version"-cp39-abi3-musllinux_1_2_x86_64.whl
