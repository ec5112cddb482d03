//! The operation table in the core against what users read and what the builders do: the
//! table in docs/operations.md has one row per operation with the same method and path, and every
//! request the fixtures build goes to its operation's method and path.
#![cfg(feature = "unstable-add-participants")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;

use serde_json::Value;
use wagroups::Operation;

/// Operation name → (its method and path, the page its name links to).
fn readme_rows() -> BTreeMap<String, (String, String)> {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/operations.md"
    ))
    .expect("docs/operations.md");
    let section = readme
        .split("# Operations and their limits")
        .nth(1)
        .expect("docs/operations.md has its table");
    let mut rows = BTreeMap::new();
    for line in section
        .lines()
        .skip_while(|l| !l.starts_with("| operation"))
        .skip(2)
    {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split(" | ").collect();
        // "| [`create_group`](https://…)" → the name and the page.
        let (name, page) = cells[0]
            .trim_start_matches("| [`")
            .trim_end_matches(')')
            .split_once("`](")
            .expect("the name linked to Meta's page");
        let (name, page) = (name.to_owned(), page.to_owned());
        // "`POST /{group_id}` (JSON)" → "POST /{group_id}"
        let route = cells[1]
            .split('`')
            .nth(1)
            .expect("method and path in backticks");
        assert!(
            rows.insert(name.clone(), (route.to_owned(), page))
                .is_none(),
            "{name} has two rows in docs/operations.md"
        );
    }
    rows
}

#[test]
fn the_readme_has_one_row_per_operation_with_its_method_and_path() {
    let mut rows = readme_rows();
    for op in Operation::ALL {
        let (route, page) = rows.remove(op.name()).unwrap_or_else(|| {
            panic!("{} is missing from the docs/operations.md table", op.name())
        });
        assert_eq!(page, op.docs_url(), "{}: Meta's page", op.name());
        assert_eq!(
            route,
            format!("{} {}", op.method().as_str(), op.path()),
            "docs/operations.md disagrees with the operation table about {}",
            op.name()
        );
    }
    assert!(
        rows.is_empty(),
        "docs/operations.md rows for no operation: {rows:?}"
    );
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn every_request_the_fixtures_build_follows_its_operation_row() {
    let mut checked = BTreeMap::<&str, usize>::new();
    for (file, case) in common::cases() {
        let input = &case["input"];
        if input["kind"] != "request" {
            continue;
        }
        let Some(request) = case["expect"].get("ok") else {
            continue;
        };
        let op = Operation::from_name(input["operation"].as_str().unwrap()).unwrap();
        assert_eq!(request["method"], op.method().as_str(), "{file}: method");
        let url = request["url"].as_str().unwrap();
        *checked.entry(op.name()).or_default() += 1;
        if op.path() == "{url}" {
            // The whole URL is a parameter (a media download).
            assert_eq!(Value::from(url), input["params"]["url"], "{file}");
            continue;
        }
        let path = url.split('?').next().unwrap();
        let template: Vec<&str> = op.path().trim_start_matches('/').split('/').collect();
        let segments: Vec<&str> = path.split('/').collect();
        let tail = &segments[segments.len() - template.len()..];
        for (want, got) in template.iter().zip(tail) {
            match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(param) => assert_eq!(
                    Value::from(percent_decode(got)),
                    input["params"][param],
                    "{file}: {{{param}}} in {url}"
                ),
                None => assert_eq!(want, got, "{file}: {url} does not follow {}", op.path()),
            }
        }
    }
    let missing: Vec<&str> = Operation::ALL
        .iter()
        .map(|op| op.name())
        // The shared corpus runs on default builds, where add_participants is not offered.
        .filter(|n| !checked.contains_key(n) && *n != "add_participants")
        .collect();
    assert!(missing.is_empty(), "no fixture builds {missing:?}");
}
