//! Installing what the commands need on a fresh machine, and running tools.
//!
//! Nothing here downloads a prebuilt binary: the wasm target comes from
//! rustup (`toolchain.rs`), JavaScript tools from the committed npm lockfile,
//! Chromium and Python's venv module from Debian's packages.

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

/// Whether `program` is an executable file in a folder of `PATH`.
pub fn on_path(program: &str) -> bool {
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
    apt_install(
        "chromium",
        "Chromium",
        &format!("or set CHROMIUM=/path/to/chromium (looked for {})", path.display()),
    )?;
    if path.is_file() {
        Ok(())
    } else {
        Err(format!("apt-get installed chromium but {} is missing", path.display()).into())
    }
}

/// Installs one of Debian's packages when we are root and have apt-get;
/// otherwise fails with the exact command to run (and `otherwise`, another way).
fn apt_install(package: &str, what: &str, otherwise: &str) -> Result<()> {
    let install = format!("apt-get update && apt-get install -y {package}");
    let is_root = capture(Command::new("id").arg("-u"))
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root || !on_path("apt-get") {
        return Err(
            format!("{what} is missing. Install it with `sudo sh -c '{install}'` (Debian), {otherwise}").into(),
        );
    }
    println!("installing {what} from Debian's packages (apt-get install {package})…");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", package])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// A Python package: what pip installs, and the module that shows it is there.
pub struct Package {
    pub requirement: &'static str,
    pub module: &'static str,
}

impl Package {
    /// A package whose module has its name.
    pub const fn named(name: &'static str) -> Self {
        Package {
            requirement: name,
            module: name,
        }
    }
}

/// A Python in a venv under tests/.venv that has `packages` (created or
/// completed as needed, from PyPI).
pub fn python_with(packages: &[Package]) -> Result<PathBuf> {
    let venv = root().join("tests/.venv");
    let python = venv.join("bin/python");
    if !works(Command::new(&python).args(["-m", "pip", "--version"])) {
        create_venv(&venv)?;
    }
    let imports = packages.iter().map(|p| p.module).collect::<Vec<_>>().join(", ");
    if !works(Command::new(&python).args(["-c", &format!("import {imports}")])) {
        let requirements: Vec<_> = packages.iter().map(|p| p.requirement).collect();
        println!("installing {} into the venv…", requirements.join(" "));
        run(Command::new(&python)
            .args(["-m", "pip", "install", "--quiet"])
            .args(requirements))?;
    }
    Ok(python)
}

fn works(command: &mut Command) -> bool {
    command.output().is_ok_and(|o| o.status.success())
}

/// Creates the venv afresh. Debian's own python3 has no `venv` module
/// without the python3-venv package (it half-creates the folder, without
/// pip, and fails), so that package is installed as Chromium is.
fn create_venv(venv: &Path) -> Result<()> {
    let python3 = std::env::var("PYTHON3").unwrap_or_else(|_| "python3".to_string());
    if !on_path(&python3) && !Path::new(&python3).is_file() {
        return Err(format!("{python3} is not installed (Debian: `apt-get install -y python3 python3-venv`)").into());
    }
    let attempt = || -> Result<()> {
        // A venv left without pip by an earlier failure is no use.
        if venv.exists() {
            std::fs::remove_dir_all(venv)?;
        }
        println!("creating a Python venv in {}…", venv.display());
        run(Command::new(&python3).arg("-m").arg("venv").arg(venv))
    };
    if attempt().is_ok() {
        return Ok(());
    }
    let version = capture(Command::new(&python3).args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]))
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    // Debian names the module's package both ways; the versioned one is what
    // `python3 -m venv`'s own message asks for.
    let package = if version.is_empty() {
        "python3-venv".to_string()
    } else {
        format!("python{version}-venv")
    };
    apt_install(
        &package,
        "Python's venv module",
        "or point PYTHON3 at a Python that has it",
    )?;
    attempt()
}

/// Regenerates the NumPy reference fixtures with the venv's Python.
pub fn regenerate_fixtures() -> Result<()> {
    let python = python_with(&[
        Package::named("numpy"),
        Package::named("matplotlib"),
        Package::named("ml_dtypes"),
    ])?;
    run(Command::new(&python)
        .current_dir(root())
        .arg("tests/fixtures/generate.py"))
}

/// Rewrites the determinism pins from what the core computes now (the
/// test that checks them writes them when `WRITE_PINS` is set).
pub fn rewrite_pins() -> Result<()> {
    run(Command::new(cargo())
        .current_dir(root())
        .args(["test", "--quiet", "-p", "attention-core", "--test", "determinism"])
        .env("WRITE_PINS", "1"))?;
    println!("wrote tests/fixtures/determinism.json; `git diff` shows which bits changed");
    Ok(())
}
