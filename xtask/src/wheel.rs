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
//!
//! Beside the wheel it writes `attention-explorer-widget.mjs`: the widget's
//! front end with the same files inside, one ES module for pages with no
//! kernel, such as MyST's `{anywidget}` directive (Jupyter Book 2), which
//! copies one local module into the book and nothing beside it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::setup::{self, Package};
use crate::{Result, root};

/// Files of the site a widget has no use for: the page around the element.
const PAGE_ONLY: [&str; 5] = ["index.html", "main.js", "nomodule.js", "page.css", "favicon.svg"];

/// The widget's front end with the site inside, for pages with no kernel.
pub const STANDALONE: &str = "attention-explorer-widget.mjs";

/// The notebook servers the widget is tested and timed in.
pub const NOTEBOOKS: [Package; 2] = [
    Package {
        requirement: "jupyterlab>=4.2,<5",
        module: "jupyterlab",
    },
    Package {
        requirement: "notebook>=7.2,<8",
        module: "notebook",
    },
];

/// The package's folder of static files.
fn static_dir() -> PathBuf {
    root().join("python/src/attention_explorer/static")
}

/// Builds the wheel from the site in `site` (already built); returns its path.
pub fn build(site: &Path) -> Result<PathBuf> {
    copy_site(site, &static_dir().join("site"))?;
    let out = root().join("target/wheels");
    std::fs::create_dir_all(&out)?;
    write_standalone(&static_dir(), &out.join(STANDALONE))?;
    setup::run(
        Command::new("node")
            .current_dir(root())
            .arg("xtask/wheel-params.mjs")
            .arg(static_dir().join("params.json")),
    )?;
    let python = setup::python_with(&[Package::named("hatchling")])?;
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

/// The files the widget sends from the kernel (widget.py's `_site`): text files of the site.
const TEXT_SUFFIXES: [&str; 3] = [".js", ".css", ".json"];
const WASM: &str = "pkg/attention_wasm_bg.wasm";
/// The line of widget.js that the standalone copy fills in.
const EMBEDDED: &str = "const EMBEDDED = null;";

/// Writes widget.js with the site of `static_dir` inside (its `EMBEDDED`: `{ id, files, wasm }`, the wasm in base64).
fn write_standalone(static_dir: &Path, to: &Path) -> Result<()> {
    let site = static_dir.join("site");
    let mut files = serde_json::Map::new();
    for file in crate::site::list_files(&site)? {
        let name = file.strip_prefix(&site)?.to_string_lossy().replace('\\', "/");
        if TEXT_SUFFIXES.iter().any(|suffix| name.ends_with(suffix)) {
            files.insert(name, std::fs::read_to_string(&file)?.into());
        }
    }
    let wasm = std::fs::read(site.join(WASM))?;
    let mut id = Fnv::default();
    id.write(&wasm);
    for (name, text) in &files {
        id.write(name.as_bytes());
        id.write(text.as_str().unwrap_or_default().as_bytes());
    }
    let embedded =
        serde_json::json!({ "id": format!("standalone-{:016x}", id.0), "files": files, "wasm": base64(&wasm) });
    let widget = std::fs::read_to_string(static_dir.join("widget.js"))?;
    if widget.matches(EMBEDDED).count() != 1 {
        return Err(format!("widget.js must have the line `{EMBEDDED}` once, for the standalone copy").into());
    }
    let module = widget.replace(EMBEDDED, &format!("const EMBEDDED = {embedded};"));
    std::fs::write(to, &module)?;
    println!(
        "standalone widget module ready: {} ({:.1} KiB)",
        to.display(),
        module.len() as f64 / 1024.0
    );
    Ok(())
}

/// FNV-1a, 64 bits: an id of the files, so that a page holding two versions builds each once.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Standard base64 with padding (what `atob` reads).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_is_the_standard_one() {
        // RFC 4648's test vectors.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
