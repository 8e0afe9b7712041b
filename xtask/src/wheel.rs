//! `cargo xtask wheel`: the Jupyter widget (`python/`) as a pure-Python wheel
//! in `target/wheels/`, with the site's own files inside it.
//!
//! The widget shows the page's `<attention-explorer>`, so the wheel carries
//! the same built files as the site (minified scripts, stylesheet, engine,
//! built-in lessons, languages), copied from `dist/` into the package's
//! `static/site/`, and the parameters' table (`static/params.json`, from
//! `web/state.js` by `xtask/wheel-params.mjs`). Neither is in git: they are
//! made from the same sources as the page at every build. hatchling builds
//! the wheel, from a venv this command makes (PyPI, once).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::setup::{self, Package};
use crate::{Result, root};

/// Files of the site a widget has no use for: the page around the element.
const PAGE_ONLY: [&str; 5] = ["index.html", "main.js", "nomodule.js", "page.css", "favicon.svg"];

/// The package's folder of static files.
fn static_dir() -> PathBuf {
    root().join("python/src/attention_explorer/static")
}

/// Builds the wheel from the site in `site` (already built); returns its path.
pub fn build(site: &Path) -> Result<PathBuf> {
    copy_site(site, &static_dir().join("site"))?;
    setup::run(
        Command::new("node")
            .current_dir(root())
            .arg("xtask/wheel-params.mjs")
            .arg(static_dir().join("params.json")),
    )?;
    let python = setup::python_with(&[Package::named("hatchling")])?;
    let out = root().join("target/wheels");
    std::fs::create_dir_all(&out)?;
    for old in std::fs::read_dir(&out)?.filter_map(|e| e.ok()) {
        if old.file_name().to_string_lossy().starts_with("attention_explorer-") {
            std::fs::remove_file(old.path())?;
        }
    }
    setup::run(
        Command::new(&python)
            .current_dir(root())
            .args([
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--wheel-dir",
            ])
            .arg(&out)
            .arg(root().join("python")),
    )?;
    let wheel = std::fs::read_dir(&out)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("attention_explorer-"))
        })
        .ok_or("pip wheel made no attention_explorer wheel")?;
    let size = std::fs::metadata(&wheel)?.len();
    println!("wheel ready: {} ({:.1} KiB)", wheel.display(), size as f64 / 1024.0);
    Ok(wheel)
}

/// Copies the site's files that the element uses (no source maps, no page) into `to`, afresh.
fn copy_site(site: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to)?;
    }
    for file in crate::site::list_files(site)? {
        let relative = file.strip_prefix(site)?;
        let name = relative.to_string_lossy();
        if name.ends_with(".map") || PAGE_ONLY.contains(&name.as_ref()) {
            continue;
        }
        let target = to.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&file, &target)?;
    }
    Ok(())
}
