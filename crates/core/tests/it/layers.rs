//! The core's layering, checked on its source: only the root (`app/root/`) sees the whole state; each
//! feature's update is handed its own state and, as arguments, what it reads of others.

use std::path::Path;

fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the core's app folder is readable") {
        let path = entry.expect("a readable entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            out.push((path.file_name().unwrap().to_string_lossy().into_owned(), text));
        }
    }
    out
}

#[test]
fn no_feature_sees_the_whole_state() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let features = sources(&app);
    assert!(features.len() >= 10, "the feature files were found: {}", features.len());
    for (name, text) in features {
        for (n, line) in text.lines().enumerate() {
            // mod.rs only re-exports the root's type.
            let reexport = name == "mod.rs" && line.starts_with("pub use root::");
            assert!(
                reexport || !line.contains("AppState"),
                "app/{name}:{} reaches for the whole state; hand the feature what it needs instead:\n{line}",
                n + 1
            );
        }
    }
    let root = sources(&app.join("root"));
    assert!(root.iter().any(|(_, t)| t.contains("pub struct AppState")), "the root holds the state");
}

#[test]
fn the_core_calls_no_terminal_or_drawing_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("readable").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path).expect("readable");
                for word in ["ratatui", "crossterm", "tokio", "reqwest", "axum"] {
                    assert!(!text.contains(word), "{} names {word}", path.display());
                }
            }
        }
    }
    assert!(files > 20, "the core's sources were found: {files}");
}
