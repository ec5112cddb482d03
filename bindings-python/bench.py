#!/usr/bin/env python3
"""Benchmarks of the wheel (a script, not a test). Ratios against baselines measured in the same
run: parse_webhook vs json.loads of the same bodies (and vs pywa's typed parsing of the deliveries
it can parse), verify_signature vs hmac + hashlib, and the two ways to cross the boundary
(Python objects built in Rust vs JSON text + json.loads).

Usage: python bindings-python/bench.py   (with the wheel installed; `pip install pywa` for that row)
"""

import hashlib
import hmac
import json
import pathlib
import timeit
import warnings

import wagroups
from wagroups import _native

ROOT = pathlib.Path(__file__).resolve().parents[1]


def corpus():
    bodies = []
    for p in sorted((ROOT / "tests" / "fixtures" / "webhooks").rglob("*.json")):
        case = json.loads(p.read_text())
        if "malformed" not in p.parts and "body" in case["input"]:
            bodies.append(case["input"]["body"].encode())
    return bodies


def best(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=7)) / number


def row(name, ours, base, base_name):
    print(f"{name:<44} {ours * 1e6:9.1f} µs  vs {base_name:<24} {base * 1e6:9.1f} µs  ratio {ours / base:5.2f}x")


def main():
    bodies = corpus()
    size = sum(map(len, bodies))
    print(f"corpus: {len(bodies)} deliveries, {size} bytes; wagroups {wagroups.__version__}")

    def parse_all():
        for b in bodies:
            wagroups.parse_webhook(b)

    def loads_all():
        for b in bodies:
            json.loads(b)

    def text_then_loads():
        for b in bodies:
            json.loads(_native._parse_webhook_json_text(b))

    n = 50
    ours = best(parse_all, n)
    row("parse_webhook (whole corpus)", ours, best(loads_all, n), "json.loads")
    row("boundary: objects built in Rust", ours, best(text_then_loads, n), "JSON text + json.loads")

    secret = b"6f1d2c9a8b7e4f3a0c5d9e8b7a6f5c41"
    body = max(bodies, key=len)
    header = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()

    def ours_sig():
        wagroups.verify_signature(body, header, secret)

    def stdlib_sig():
        hmac.compare_digest(header[7:], hmac.new(secret, body, hashlib.sha256).hexdigest())

    row(f"verify_signature ({len(body)} B body)", best(ours_sig, 20000), best(stdlib_sig, 20000), "hmac + hashlib")

    try:
        from pywa import WhatsApp
        from pywa.types.base_update import RawUpdate
    except ImportError:
        print("pywa not installed: skipped that comparison")
        return
    warnings.simplefilter("ignore")
    wa = WhatsApp(phone_id="427119830566204", token="x", server=None)

    def pywa_parse(b):
        raw = RawUpdate(b, hmac_header=None, update_hash="x")
        handler = wa._get_handler_type(raw)
        return wa._handlers_to_updates[handler].from_update(client=wa, update=raw)

    parsable = []
    for b in bodies:
        try:
            pywa_parse(b)
            parsable.append(b)
        except Exception:
            pass
    print(f"pywa parses {len(parsable)} of {len(bodies)} deliveries into typed updates (first item only)")
    if parsable:
        ours = best(lambda: [wagroups.parse_webhook(b) for b in parsable], 200)
        theirs = best(lambda: [pywa_parse(b) for b in parsable], 200)
        row("parse_webhook (pywa-parsable subset)", ours, theirs, "pywa from_update")


if __name__ == "__main__":
    main()
