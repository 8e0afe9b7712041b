//! Builds the static site: the engine compiled to WebAssembly, its JavaScript
//! glue, and the hand-written files of `web/`, all in one folder with
//! relative URLs only, so it works from any sub-folder of any static host.

use std::path::{Path, PathBuf};
use std::process::Command;

use wasm_bindgen_cli_support::Bindgen;

use crate::{Result, root, setup, toolchain};

/// The wasm crate's library name, which names the generated files.
const ENGINE: &str = "attention_wasm";

/// Builds everything into `out` (emptied first) and prints what it wrote.
pub fn build(out: &Path) -> Result<PathBuf> {
    let root = root();
    toolchain::ensure(toolchain::Needs::Build)?;
    println!("building the engine (wasm32, release)…");
    setup::run(Command::new(setup::cargo()).current_dir(&root).args([
        "build",
        "--quiet",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "attention-wasm",
    ]))?;
    let wasm = root.join(format!("target/wasm32-unknown-unknown/release/{ENGINE}.wasm"));

    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
    }
    let pkg = out.join("pkg");
    std::fs::create_dir_all(&pkg)?;
    Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        // Without a default module path, `init()` has no .wasm URL and fails.
        .omit_default_module_path(false)
        .typescript(false)
        .generate(&pkg)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;

    let glue_wasm = pkg.join(format!("{ENGINE}_bg.wasm"));
    optimise(&glue_wasm)?;
    copy_tree(&root.join("web"), out)?;
    // A teacher copies dist/ as it is: the licence goes with it, named so
    // that any static host serves it as text.
    for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
        std::fs::copy(root.join(licence), out.join(format!("{licence}.txt")))?;
    }
    minify(out)?;

    for file in list_files(out)? {
        let size = std::fs::metadata(&file)?.len();
        println!("  {:>8} B  {}", size, file.strip_prefix(out).unwrap_or(&file).display());
    }
    println!("site ready in {}", out.display());
    Ok(out.to_path_buf())
}

/// Shrinks the module with binaryen's `wasm-opt` from npm when it is
/// installed (`npm ci`); the site works without it, only larger. Debian's
/// binaryen is too old for wasm-bindgen's output, so it is never used.
fn optimise(wasm: &Path) -> Result<()> {
    let wasm_opt = root().join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        println!("  note: node_modules/.bin/wasm-opt not found (run `npm ci`); the .wasm is left unoptimised");
        return Ok(());
    }
    let before = std::fs::metadata(wasm)?.len();
    setup::run(
        Command::new(&wasm_opt)
            .arg(wasm)
            .arg("-o")
            .arg(wasm)
            .args([
                "-O3",
                "--enable-simd",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
            ])
            .args([
                "--enable-reference-types",
                "--enable-multivalue",
                "--enable-mutable-globals",
            ]),
    )?;
    let after = std::fs::metadata(wasm)?.len();
    println!("  wasm-opt -O3: {before} B -> {after} B");
    Ok(())
}

/// Minifies the scripts and stylesheets in place with terser from npm when it
/// is installed (`npm ci`), each file on its own (see `xtask/minify.mjs`); the
/// site works without it, only larger.
fn minify(out: &Path) -> Result<()> {
    let root = root();
    if !root.join("node_modules/terser").exists() {
        println!("  note: node_modules/terser not found (run `npm ci`); scripts and styles are left as written");
        return Ok(());
    }
    let shrinkable = list_files(out)?
        .into_iter()
        .filter(|f| matches!(f.extension().and_then(|e| e.to_str()), Some("js" | "css")));
    setup::run(Command::new("node").arg(root.join("xtask/minify.mjs")).args(shrinkable))
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Every file below `dir`, sorted.
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
