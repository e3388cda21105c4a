//! Scripted reviewers (examples/review_worker.rs), each in its own process, and the team they
//! act as.

use std::path::{Path, PathBuf};
use std::process::Command;

use huishen_core::review::Workspace;

/// The scripted reviewer, brought up to date first (a stale one would speak an older
/// workspace format).
pub fn worker_binary() -> PathBuf {
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--example", "review_worker"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo");
        assert!(status.success());
    });
    let exe = std::env::current_exe().expect("the test binary");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the target folder");
    dir.join("examples").join("review_worker")
}

/// Adds reviewers p1..pN with alternating roles, everywhere.
pub fn team(ws: &Path, n: usize) -> Vec<String> {
    let roles = ["县级审核", "市级审核", "省级审核", "统计部门"];
    (1..=n)
        .map(|i| {
            let name = format!("p{i}");
            super::review::enrol(ws, &name, roles[i % roles.len()], "load-test");
            name
        })
        .collect()
}
