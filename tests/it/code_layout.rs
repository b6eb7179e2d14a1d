//! The shape of the code, kept by a test (ARCHITECTURE.md, "Invariants of the code"): the
//! modules of `pipeline/` import one way (no module imports from a module that imports it,
//! directly or around a longer circle), and every function fits on a screen or two.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LONGEST_FUNCTION: usize = 150;

fn sources() -> Vec<PathBuf> {
    rs_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline"))
}

/// Every `.rs` file under `root`, sorted.
fn rs_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The module a source file belongs to, at the granularity the rule is kept: the top-level
/// modules of the library (`silver`, `compute` …), and `cmd` for the command line.
fn module_of(path: &Path) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline");
    let rel = path.strip_prefix(&root).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    let name = first.trim_end_matches(".rs").to_string();
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// The modules a file names: `crate::X` (in the library) and `skm::X` (in the command line).
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for prefix in ["crate::", "skm::"] {
        let mut rest = text;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().next_back();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// Lines that are code, not comments.
fn code_of(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A circle in `graph` (depth first), as its nodes from where it starts back to there.
fn find_circle<T: Ord + Clone>(graph: &BTreeMap<T, BTreeSet<T>>) -> Option<Vec<T>> {
    fn visit<T: Ord + Clone>(
        m: &T,
        graph: &BTreeMap<T, BTreeSet<T>>,
        path: &mut Vec<T>,
        done: &mut BTreeSet<T>,
    ) -> Option<Vec<T>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut circle = path[i..].to_vec();
            circle.push(m.clone());
            return Some(circle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.clone());
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

#[test]
fn modules_import_one_way() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources() {
        let Some(m) = module_of(&path) else { continue };
        let text = code_of(&std::fs::read_to_string(&path).unwrap());
        let deps = graph.entry(m.clone()).or_default();
        for d in imports(&text) {
            // Macros exported at the crate root (`crate::labels!`) are not modules.
            if d != m && d != "labels" {
                deps.insert(d);
            }
        }
    }
    assert!(graph.len() > 10, "found the modules: {graph:?}");
    if let Some(circle) = find_circle(&graph) {
        panic!(
            "modules import each other: {} (the graph: {graph:?})",
            circle.join(" → ")
        );
    }
    // The stages run one way.
    let order = [
        "ingest",
        "normalize",
        "silver",
        "compute",
        "emit",
        "publish",
        "db",
    ];
    for (i, later) in order.iter().enumerate() {
        for earlier in &order[..i] {
            let deps = graph.get(*earlier).cloned().unwrap_or_default();
            assert!(
                !deps.contains(*later),
                "{earlier} imports {later}, a later stage"
            );
        }
    }
}

/// Every `fn` of `pipeline/` and its length in lines (from its signature to its closing
/// brace at the same indentation).
fn functions() -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for path in sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
                .iter()
                .any(|p| t.starts_with(p));
            if !is_fn || t.ends_with(';') {
                continue;
            }
            let indent = &l[..l.len() - t.len()];
            let close = format!("{indent}}}");
            if let Some(n) = lines[i..].iter().position(|x| *x == close) {
                out.push((format!("{}:{}", path.display(), i + 1), n + 1, i));
            }
        }
    }
    out
}

#[test]
fn functions_fit_on_a_screen_or_two() {
    let fns = functions();
    assert!(fns.len() > 300, "found {} functions", fns.len());
    let long: Vec<_> = fns
        .iter()
        .filter(|(_, n, _)| *n >= LONGEST_FUNCTION)
        .collect();
    assert!(
        long.is_empty(),
        "functions of {LONGEST_FUNCTION} lines or more: {long:?}"
    );
}

/// The file a module path (from the crate root) names under `root`: the longest prefix of it
/// that is a file (`a/b.rs` or `a/b/mod.rs`).
fn file_of(root: &Path, segments: &[String]) -> Option<PathBuf> {
    (1..=segments.len()).rev().find_map(|n| {
        let dir: PathBuf = segments[..n].iter().collect();
        [
            root.join(&dir).with_extension("rs"),
            root.join(&dir).join("mod.rs"),
        ]
        .into_iter()
        .find(|p| p.is_file())
    })
}

/// The module path of a file under `root` (`silver/mod.rs` → `silver`, `lib.rs` → root).
fn module_path(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap();
    let mut v: Vec<String> = rel
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    if matches!(v.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        v.pop();
    }
    v
}

/// The paths a file's code names, from the crate root: `crate::a::b`, `super::c`, `self::d`
/// (in `use` trees, braces expanded, and inline), and `skm::…` in the command line.
fn named_paths(text: &str, here: &[String], is_mod: bool) -> Vec<Vec<String>> {
    // The module `self::` names, and the one `super::` names (for `a/mod.rs` and `a.rs` alike,
    // the module is `a`).
    let own = here.to_vec();
    let sup = here[..here.len().saturating_sub(1)].to_vec();
    let _ = is_mod;
    let mut out = Vec::new();
    // `use` trees with braces, expanded.
    fn expand(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
        let tree = tree.trim();
        if let Some(i) = tree.find('{') {
            let head: Vec<String> = tree[..i]
                .split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let end = tree.rfind('}').filter(|e| *e > i).unwrap_or(tree.len());
            let inner = &tree[i + 1..end];
            let (mut depth, mut start) = (0, 0);
            let mut parts = Vec::new();
            for (k, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&inner[start..k]);
                        start = k + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&inner[start..]);
            let p: Vec<String> = prefix.iter().cloned().chain(head).collect();
            for part in parts.into_iter().filter(|s| !s.trim().is_empty()) {
                expand(&p, part, out);
            }
        } else {
            let segs = tree.split(" as ").next().unwrap_or("");
            let p: Vec<String> = prefix
                .iter()
                .cloned()
                .chain(segs.split("::").map(|s| s.trim().to_string()))
                .filter(|s| !s.is_empty() && s != "self" && s != "*")
                .collect();
            out.push(p);
        }
    }
    let mut trees = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(end) = rest.find(';') {
            trees.push(rest[..end].to_string());
        }
    }
    // Inline paths: `crate::a::b(…)`, `super::c::d`.
    for prefix in ["crate::", "super::", "self::", "skm::"] {
        let mut rest = text;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().next_back();
            rest = &rest[i..];
            let len: usize = rest
                .char_indices()
                .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == ':')
                .last()
                .map_or(0, |(k, c)| k + c.len_utf8());
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                trees.push(rest[..len].trim_end_matches(':').to_string());
            }
            rest = &rest[len.max(prefix.len())..];
        }
    }
    for t in trees {
        let mut raw = Vec::new();
        expand(&[], &t, &mut raw);
        for p in raw {
            let (base, rest): (Vec<String>, &[String]) = match p.first().map(String::as_str) {
                Some("crate") | Some("skm") => (Vec::new(), &p[1..]),
                Some("self") => (own.clone(), &p[1..]),
                Some("super") => {
                    let mut b = sup.clone();
                    let mut r = &p[1..];
                    while r.first().map(String::as_str) == Some("super") {
                        b.pop();
                        r = &r[1..];
                    }
                    (b, r)
                }
                _ => continue,
            };
            out.push(base.into_iter().chain(rest.iter().cloned()).collect());
        }
    }
    out
}

/// Every circle of imports between the files of the crate under `root` (a file using its own
/// enclosing modules' items, `super::X` of a parent `mod.rs`, is the module tree, not an import).
fn file_circles(root: &Path) -> Vec<Vec<PathBuf>> {
    let files = rs_files(root);
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for f in &files {
        let here = module_path(root, f);
        let is_mod = matches!(
            f.file_name().and_then(|n| n.to_str()),
            Some("mod.rs" | "lib.rs" | "main.rs")
        );
        let text = code_of(&std::fs::read_to_string(f).unwrap());
        let deps = graph.entry(f.clone()).or_default();
        for p in named_paths(&text, &here, is_mod) {
            let Some(g) = file_of(root, &p) else { continue };
            let ancestor = module_path(root, &g).len() < here.len()
                && here.starts_with(&module_path(root, &g))
                && g.file_name()
                    .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
            if g != *f && !ancestor {
                deps.insert(g);
            }
        }
    }
    // Every circle: each found one is reported and broken at its last edge, until none is left.
    let mut circles = Vec::new();
    while let Some(c) = find_circle(&graph) {
        let (a, b) = (&c[c.len() - 2], &c[c.len() - 1]);
        graph.get_mut(a).expect("in the graph").remove(b);
        circles.push(c);
    }
    circles
}

#[test]
fn files_import_one_way_too() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline");
    let circles: Vec<String> = file_circles(&root)
        .iter()
        .map(|c| {
            let names: Vec<String> = c
                .iter()
                .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
                .collect();
            names.join(" → ")
        })
        .collect();
    assert!(
        circles.is_empty(),
        "files import each other:\n{}",
        circles.join("\n")
    );
}

#[test]
fn a_circle_between_two_files_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    let put = |p: &str, text: &str| {
        let p = tmp.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    put("lib.rs", "pub mod emit;\n");
    put(
        "emit/mod.rs",
        "pub mod page;\npub mod report;\nuse self::page::Page;\n",
    );
    put(
        "emit/report.rs",
        "use super::page::{self, Page};\npub struct Model;\n",
    );
    // The tree alone is no circle: a child using its parent's items, the parent its children.
    put("emit/page.rs", "use super::Thing;\npub struct Page;\n");
    assert_eq!(file_circles(tmp.path()), Vec::<Vec<PathBuf>>::new());
    // A page that imports the report's model back is.
    put(
        "emit/page.rs",
        "use crate::emit::{report::Model, Thing};\npub struct Page;\n",
    );
    let c = file_circles(tmp.path()).pop().expect("the circle is found");
    let names: Vec<String> = c
        .iter()
        .map(|p| p.strip_prefix(tmp.path()).unwrap().display().to_string())
        .collect();
    assert!(
        names == ["emit/page.rs", "emit/report.rs", "emit/page.rs"]
            || names == ["emit/report.rs", "emit/page.rs", "emit/report.rs"],
        "{names:?}"
    );
}

/// Every path the docs name (in backticks or as a relative link) exists: from the repository,
/// or from `pipeline/` for a source file named by its folder (`silver/untimed.rs`).
#[test]
fn every_path_the_docs_name_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![
        root.join("README.md"),
        root.join("ARCHITECTURE.md"),
        root.join("BENCHMARKS.md"),
    ];
    for e in std::fs::read_dir(root.join("docs")).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "md") {
            docs.push(e.path());
        }
    }
    let tops = [
        "pipeline/",
        "schemas/",
        "tests/",
        "docs/",
        "scripts/",
        "deploy/",
        "bench/",
        "fixtures/",
    ];
    let looks_like_file = |p: &str| {
        p.contains('/')
            && !p.contains(['*', '<', '>', '{', ' ', '$', '…'])
            && !p.starts_with('/')
            && !p.starts_with('.')
            && !p.contains("://")
            && (tops.iter().any(|t| p.starts_with(t)) || p.ends_with(".rs"))
    };
    let mut missing = Vec::new();
    for d in &docs {
        let text = std::fs::read_to_string(d).unwrap();
        let mut names: Vec<String> = text
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|s| s.split(':').next().unwrap_or("").trim().to_string())
            .collect();
        // Relative links: `](path)` and `](path#anchor)`.
        for part in text.split("](").skip(1) {
            let target = part.split(')').next().unwrap_or("");
            let target = target.split('#').next().unwrap_or("");
            if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto") {
                let base = d.parent().unwrap().strip_prefix(root).unwrap();
                names.push(base.join(target).display().to_string());
            }
        }
        for n in names
            .into_iter()
            .filter(|n| looks_like_file(n) || n.ends_with(".md"))
        {
            let n = n.trim_end_matches(['.', ',']);
            let found = [root.join(n), root.join("pipeline").join(n)]
                .iter()
                .any(|p| p.exists());
            if !found && !n.contains(' ') {
                missing.push(format!("{}: {n}", d.strip_prefix(root).unwrap().display()));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "paths named but missing:\n{}",
        missing.join("\n")
    );
}
