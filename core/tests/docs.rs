//! The documentation holds together: every page in docs/ is linked from the README, no relative
//! link in the README or docs/ points at nothing, and the name table in docs/names.md names every
//! function each binding exports (from the binding surface table).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

/// `[text](target)` targets of a Markdown text, without those inside code.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_page_is_linked_from_the_readme() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let linked = links(&readme);
    assert!(pages().len() >= 10, "{:?}", pages());
    for page in pages() {
        let name = format!("docs/{}", page.file_name().unwrap().to_str().unwrap());
        assert!(
            linked
                .iter()
                .any(|l| l.split('#').next() == Some(name.as_str())),
            "{name} is not linked from the README"
        );
    }
}

#[test]
fn no_relative_link_is_broken() {
    let mut files = vec![root().join("README.md")];
    files.extend(pages());
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with('#')
            {
                continue;
            }
            let path = link.split('#').next().unwrap();
            let target = file.parent().unwrap().join(path);
            assert!(
                target.exists(),
                "{}: {link} points at nothing",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} links");
}

#[test]
fn the_name_table_names_every_exported_function() {
    let table = std::fs::read_to_string(root().join("docs/names.md")).unwrap();
    for f in wagroups::surface::FUNCTIONS {
        if f.python.is_some() && f.name != "version" {
            assert!(
                table.contains(&format!("`{}`", f.name)),
                "{} (Python) is not in docs/names.md",
                f.name
            );
        }
        if let Some(js) = f.js {
            assert!(
                table.contains(&format!("`{js}`")),
                "{js} (JavaScript) is not in docs/names.md"
            );
        }
    }
}

/// The link reader finds links, so the checks above can fail.
#[test]
fn links_are_read() {
    assert_eq!(
        links("see [a](docs/a.md) and [b](https://x#y)\n```\n[c](d)\n```"),
        ["docs/a.md", "https://x#y"]
    );
}
