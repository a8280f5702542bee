//! The layering of `app/src`, read from the source text: imports go one way
//! (pages → components → api/auth → server → domain → error), no two files import each
//! other through any chain, SQL lives under `server/`, and nothing `expect`s a value the
//! user typed. (State codes written only in their enum: `domain/code.rs`' unit test.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file of the `app` crate with its module path (`crate::api::company`).
struct Source {
    rel: String,
    module: Vec<String>,
    text: String,
}

fn app_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src")
}

fn sources() -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = app_src();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            let mut module: Vec<String> = rel.trim_end_matches(".rs").split('/').map(str::to_string).collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            Source { rel, module, text: std::fs::read_to_string(&path).unwrap() }
        })
        .collect()
}

/// The code of a line without its `//` comment (a `//` inside a string cuts it short,
/// which only ever hides a reference, never invents one).
fn code(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands the paths written at `s` (after `crate::` or `super::`): `a::b::C`,
/// `a::{b::C, d}`, one level of braces.
fn paths_at(s: &str) -> Vec<Vec<String>> {
    let mut head = Vec::new();
    let mut rest = s;
    loop {
        let ident: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        if ident.is_empty() {
            break;
        }
        head.push(ident.clone());
        rest = &rest[ident.len()..];
        if let Some(r) = rest.strip_prefix("::") {
            rest = r;
        } else {
            return vec![head];
        }
    }
    if let Some(inner) = rest.strip_prefix('{') {
        let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
        return inner
            .split(',')
            .map(|item| {
                let mut p = head.clone();
                p.extend(item.trim().split("::").map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && s != "*" && s != "self"));
                p
            })
            .collect();
    }
    vec![head]
}

/// The lines of a file without comments, a `use` spread over several lines joined
/// into one.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open_use = false;
    for raw in text.lines() {
        let line = code(raw);
        if open_use {
            out.last_mut().unwrap().push_str(line.trim());
        } else {
            out.push(line.to_string());
            let t = line.trim_start();
            open_use = t.starts_with("use ") || t.starts_with("pub use ");
        }
        if open_use && line.contains(';') {
            open_use = false;
        }
    }
    out
}

/// Every module path a file refers to, outside its unit tests, absolute (`crate::` and
/// `super::` resolved; `super` inside an inline `mod x { … }` is the file's own module).
fn references(src: &Source) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut inline_mods: Vec<i32> = Vec::new();
    // Unit tests (`mod tests { … }`) may use any sibling: they are not part of the layers.
    let mut in_tests: Option<i32> = None;
    for line in logical_lines(&src.text) {
        let line = line.as_str();
        let trimmed = line.trim_start();
        if in_tests.is_none() && trimmed.starts_with("mod tests") && trimmed.trim_end().ends_with('{') {
            in_tests = Some(depth);
        }
        if let Some(start) = in_tests {
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if depth <= start {
                in_tests = None;
            }
            continue;
        }
        let opens_inline = (trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ")) && trimmed.trim_end().ends_with('{');
        for (i, _) in line.match_indices("crate::") {
            if i > 0 && line[..i].ends_with(|c: char| is_ident(c) || c == ':') {
                continue;
            }
            out.extend(paths_at(&line[i + "crate::".len()..]));
        }
        for (i, _) in line.match_indices("super::") {
            if i > 0 && line[..i].ends_with(|c: char| is_ident(c) || c == ':') {
                continue;
            }
            let mut base = src.module.clone();
            if inline_mods.is_empty() {
                base.pop();
            }
            for p in paths_at(&line[i + "super::".len()..]) {
                let mut abs = base.clone();
                abs.extend(p);
                out.push(abs);
            }
        }
        if opens_inline {
            inline_mods.push(depth);
        }
        for c in line.chars() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if inline_mods.last() == Some(&depth) {
                        inline_mods.pop();
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// `pub use x::{A, B}` in a `mod.rs`/`lib.rs`: (module, name) → the file it comes from.
fn reexports(sources: &[Source], files: &BTreeMap<Vec<String>, usize>) -> BTreeMap<(Vec<String>, String), usize> {
    let mut out = BTreeMap::new();
    for src in sources.iter().filter(|s| s.rel.ends_with("mod.rs")) {
        for line in logical_lines(&src.text) {
            let Some(rest) = line.trim_start().strip_prefix("pub use ") else { continue };
            for path in paths_at(rest.trim_start_matches("self::")) {
                let mut abs = src.module.clone();
                abs.extend(path.iter().cloned());
                let Some(name) = path.last() else { continue };
                if let Some(target) = resolve(files, &abs) {
                    out.insert((src.module.clone(), name.clone()), target);
                }
            }
        }
    }
    out
}

/// The file that defines the longest module prefix of `path`.
fn resolve(files: &BTreeMap<Vec<String>, usize>, path: &[String]) -> Option<usize> {
    (1..=path.len()).rev().find_map(|n| files.get(&path[..n]).copied())
}

/// File → files it imports (re-exports followed to where the item lives; `mod.rs`
/// files that only declare and re-export are not nodes of their own).
fn graph(sources: &[Source]) -> Vec<BTreeSet<usize>> {
    let files: BTreeMap<Vec<String>, usize> = sources.iter().enumerate().map(|(i, s)| (s.module.clone(), i)).collect();
    let reexported = reexports(sources, &files);
    sources
        .iter()
        .enumerate()
        .map(|(i, src)| {
            let mut deps = BTreeSet::new();
            if src.rel.ends_with("mod.rs") {
                // A folder's `mod.rs` declares and re-exports: its own code is checked
                // through the files that use it.
                let own: String = src.text.lines().filter(|l| !l.trim_start().starts_with("pub use ")).collect::<Vec<_>>().join("\n");
                let stripped = Source { rel: src.rel.clone(), module: src.module.clone(), text: own };
                return references(&stripped).iter().filter_map(|p| resolve(&files, p)).filter(|t| *t != i).collect();
            }
            for path in references(src) {
                let Some(mut target) = resolve(&files, &path) else { continue };
                let module = &sources[target].module;
                if sources[target].rel.ends_with("mod.rs") && path.len() > module.len() {
                    if let Some(t) = reexported.get(&(module.clone(), path[module.len()].clone())) {
                        target = *t;
                    }
                }
                if target != i && sources[target].rel != "lib.rs" {
                    deps.insert(target);
                }
            }
            deps
        })
        .collect()
}

#[test]
fn no_two_files_import_each_other() {
    let sources = sources();
    let deps = graph(&sources);
    // Depth-first search for a back edge; report the first cycle found.
    fn visit(n: usize, deps: &[BTreeSet<usize>], state: &mut [u8], stack: &mut Vec<usize>) -> Option<Vec<usize>> {
        state[n] = 1;
        stack.push(n);
        for &m in &deps[n] {
            if state[m] == 1 {
                let start = stack.iter().position(|x| *x == m).unwrap();
                let mut cycle = stack[start..].to_vec();
                cycle.push(m);
                return Some(cycle);
            }
            if state[m] == 0 {
                if let Some(c) = visit(m, deps, state, stack) {
                    return Some(c);
                }
            }
        }
        stack.pop();
        state[n] = 2;
        None
    }
    let mut state = vec![0u8; sources.len()];
    let cycle = (0..sources.len()).find_map(|n| if state[n] == 0 { visit(n, &deps, &mut state, &mut Vec::new()) } else { None });
    if let Some(c) = cycle {
        panic!("import circle between files: {}", c.iter().map(|i| sources[*i].rel.as_str()).collect::<Vec<_>>().join(" → "));
    }
}

/// The layer of a file: what it may import is this layer and those below it.
fn layer(rel: &str) -> Option<&'static str> {
    let top = rel.split('/').next().unwrap_or(rel);
    Some(match top {
        "pages" => "pages",
        "components" => "components",
        "api" => "api",
        "auth" => "auth",
        "server" => "server",
        "domain" => "domain",
        "error.rs" => "error",
        _ => return None,
    })
}

fn may_import(from: &str, to: &str) -> bool {
    match from {
        "pages" => matches!(to, "pages" | "components" | "api" | "auth" | "domain" | "error"),
        "components" => matches!(to, "components" | "domain" | "error"),
        "api" => matches!(to, "api" | "auth" | "server" | "domain" | "error"),
        "auth" => matches!(to, "auth" | "server" | "domain" | "error"),
        "server" => matches!(to, "server" | "domain" | "error"),
        "domain" => matches!(to, "domain" | "error"),
        "error" => false,
        _ => true,
    }
}

#[test]
fn imports_go_one_way() {
    let sources = sources();
    let deps = graph(&sources);
    let mut wrong = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        let Some(from) = layer(&src.rel) else { continue };
        for &t in &deps[i] {
            let Some(to) = layer(&sources[t].rel) else { continue };
            if !may_import(from, to) {
                wrong.push(format!("{} ({from}) imports {} ({to})", src.rel, sources[t].rel));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

/// Lines of `app/src` (file, number, text) that contain `needle`, outside comments.
fn grep<'a>(sources: &'a [Source], needle: &str) -> Vec<(&'a str, usize, &'a str)> {
    sources
        .iter()
        .flat_map(|s| s.text.lines().enumerate().map(move |(n, l)| (s.rel.as_str(), n + 1, l)))
        .filter(|(_, _, l)| code(l).contains(needle))
        .collect()
}

#[test]
fn sql_lives_under_server() {
    let sources = sources();
    let mut found = Vec::new();
    for needle in ["sqlx::query", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", ".begin()"] {
        for (file, n, line) in grep(&sources, needle) {
            if !file.starts_with("server/") {
                found.push(format!("{file}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "SQL outside app/src/server:\n{}", found.join("\n"));
}

#[test]
fn nothing_expects_what_the_user_typed() {
    let sources = sources();
    let found = grep(&sources, "expect(\"checked\")");
    assert!(found.is_empty(), "{found:?}");
}

/// The checks above would pass on an empty or unreadable tree: make sure they read one.
#[test]
fn the_checks_read_the_real_tree() {
    let sources = sources();
    assert!(sources.len() > 50, "only {} files read", sources.len());
    let deps = graph(&sources);
    let index = |rel: &str| sources.iter().position(|s| s.rel == rel).unwrap_or_else(|| panic!("{rel} not read"));
    // api/company.rs reaches the services; the layering test would see a bad edge.
    assert!(deps[index("api/company.rs")].iter().any(|t| sources[*t].rel.starts_with("server/")));
    assert!(!grep(&sources, "sqlx::query").is_empty());
    assert!(!layer("components/layout.rs").is_some_and(|l| may_import(l, "api")));
}
