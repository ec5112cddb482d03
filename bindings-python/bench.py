#!/usr/bin/env python3
"""Benchmarks of the wheel (a script, not a test). Ratios against baselines measured in the same
run: parse_webhook vs json.loads of the same bodies (and vs pywa's typed parsing of the deliveries
it can parse), over the corpus and over Meta's own webhook examples (one per message type), verify_signature vs hmac + hashlib, and the two ways to cross the boundary
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


def meta_examples(minified=False):
    """Meta's own webhook examples (one per message type), vendored beside its OpenAPI file:
    deliveries written elsewhere, not for the corpus."""
    path = ROOT / "tests" / "vendor" / "meta-openapi" / "webhook-examples.json"
    bodies = [d["body"] for d in json.loads(path.read_text())["deliveries"]]
    if minified:
        bodies = [json.dumps(json.loads(b), separators=(",", ":"), ensure_ascii=False) for b in bodies]
    return [b.encode() for b in bodies]


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
    meta, meta_min = meta_examples(), meta_examples(minified=True)
    for name, group in [("Meta's examples", meta), ("Meta's examples, minified", meta_min)]:
        row(f"parse_webhook ({name})", best(lambda g=group: [wagroups.parse_webhook(b) for b in g], n),
            best(lambda g=group: [json.loads(b) for b in g], n), "json.loads")

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
    except ImportError:
        print("pywa not installed (make bench-python installs it into a throwaway venv): skipped")
        return
    import logging

    warnings.simplefilter("ignore")
    # Its failure logs would be terminal I/O, not parsing: silenced so only the work is timed.
    logging.getLogger("pywa").setLevel(logging.CRITICAL + 1)
    typed = [0]

    def count(_client, _update):
        typed[0] += 1

    # As its README sets it up without a server: no token, no signature check, handlers for
    # every update kind a group bot listens to; duplicates processed (the corpus repeats).
    wa = WhatsApp(token=None, server=None, validate_updates=False, skip_duplicate_updates=False)
    for name in ["on_message", "on_message_status", "on_group_message_statuses", "on_group_read",
                 "on_callback_button", "on_callback_selection"]:
        register = getattr(wa, name, None)
        if register is not None:
            register()(count)
    for b in bodies:
        wa.webhook_update_handler(b)
    ours_typed = sum(1 for b in bodies for e in wagroups.parse_webhook(b)["events"] if e["type"] != "unknown")
    print(f"typed values: wagroups {ours_typed} events from {len(bodies)} deliveries; "
          f"pywa {typed[0]} updates (the rest it logs as failures or unrecognised)")

    def pywa_all():
        for b in bodies:
            wa.webhook_update_handler(b)

    row("parse_webhook (whole corpus)", ours, best(pywa_all, n), "pywa webhook_update_handler")
    # Meta's examples are messages of every type: what pywa types too.
    row("parse_webhook (Meta's examples)", best(lambda: [wagroups.parse_webhook(b) for b in meta], n),
        best(lambda: [wa.webhook_update_handler(b) for b in meta], n), "pywa webhook_update_handler")


if __name__ == "__main__":
    main()
