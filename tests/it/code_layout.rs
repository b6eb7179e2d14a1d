//! The shape of the code, kept by a test (ARCHITECTURE.md, "Invariants of the code"): the
//! modules of `pipeline/` import one way (no module imports from a module that imports it,
//! directly or around a longer circle), and every function fits on a screen or two.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LONGEST_FUNCTION: usize = 150;

fn sources() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("pipeline")];
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
    // Depth-first search for a circle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut circle = path[i..].to_vec();
            circle.push(m.to_string());
            return Some(circle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(circle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "modules import each other: {} (the graph: {graph:?})",
                circle.join(" → ")
            );
        }
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
