//! Installing what the commands need on a fresh machine, and running tools.
//!
//! Nothing here downloads a prebuilt binary: the wasm target comes through
//! `rust-toolchain.toml`, JavaScript tools from the committed npm lockfile,
//! and Chromium from Debian's packages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::{Result, root};

/// Where Chromium is expected (Debian's package), unless `CHROMIUM` says otherwise.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// The cargo that runs us, so nested builds use the same toolchain.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Runs a command, inheriting its output; fails if it fails.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", command.get_program()).into())
    }
}

/// Runs a command and captures its output (it may fail; the caller decides).
pub fn capture(command: &mut Command) -> Result<Output> {
    command
        .output()
        .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()).into())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// Installs the npm dev dependencies from the committed lockfile when they
/// are missing or older than the lockfile.
pub fn npm_dependencies() -> Result<()> {
    let root = root();
    let stamp = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    if newer_or_equal(&stamp, &lock) {
        return Ok(());
    }
    if !on_path("npm") {
        return Err("npm is not installed: install Node.js 20+ (Debian: `apt-get install -y nodejs npm`)".into());
    }
    println!("installing npm dev dependencies (npm ci)…");
    run(Command::new("npm")
        .current_dir(&root)
        .args(["ci", "--no-audit", "--no-fund"])
        // Browsers come from Debian, never from a download at install time.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

fn newer_or_equal(a: &Path, b: &Path) -> bool {
    let time = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((time(a), time(b)), (Some(ta), Some(tb)) if ta >= tb)
}

/// Makes sure Chromium is installed, installing Debian's package as root.
pub fn chromium() -> Result<()> {
    let path = chromium_path();
    if path.is_file() {
        return Ok(());
    }
    let install = "apt-get update && apt-get install -y chromium";
    let is_root = capture(Command::new("id").arg("-u"))
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root || !on_path("apt-get") {
        return Err(format!(
            "Chromium not found at {}. Install it with `sudo sh -c '{install}'` (Debian), or set CHROMIUM=/path/to/chromium",
            path.display()
        )
        .into());
    }
    println!("installing Chromium from Debian's packages…");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    if path.is_file() {
        Ok(())
    } else {
        Err(format!("apt-get installed chromium but {} is missing", path.display()).into())
    }
}

/// A Python in a venv under tests/.venv that has `packages` (created or
/// completed as needed, from PyPI).
pub fn python_with(packages: &[&str]) -> Result<PathBuf> {
    let venv = root().join("tests/.venv");
    let python = venv.join("bin/python");
    if !python.is_file() {
        println!("creating a Python venv in {}…", venv.display());
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    let imports = packages.join(", ");
    let present = Command::new(&python)
        .args(["-c", &format!("import {imports}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        println!("installing {} into the venv…", packages.join(" "));
        run(Command::new(&python)
            .args(["-m", "pip", "install", "--quiet"])
            .args(packages))?;
    }
    Ok(python)
}

/// Regenerates the NumPy reference fixtures with the venv's Python.
pub fn regenerate_fixtures() -> Result<()> {
    let python = python_with(&["numpy", "matplotlib", "ml_dtypes"])?;
    run(Command::new(&python)
        .current_dir(root())
        .arg("tests/fixtures/generate.py"))
}
