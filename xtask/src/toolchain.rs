//! Making sure the Rust toolchain in use can build and lint for the browser.
//!
//! `rust-toolchain.toml` names the wasm32 target and the rustfmt and clippy
//! components, but rustup installs those only together with a toolchain it
//! installs itself, never into one that is already there, which is what most
//! machines have. So every command that builds or lints the engine looks in
//! the toolchain's sysroot first and adds what is missing with rustup.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, root, setup};

/// The target the engine is compiled for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What a command needs from the toolchain.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Building the site: the wasm32 standard library.
    Build,
    /// The test command also checks formatting and lints.
    BuildAndLint,
}

/// Something the toolchain lacks, and what rustup calls it.
#[derive(Debug, PartialEq, Eq)]
enum Missing {
    Target(&'static str),
    Component(&'static str),
}

/// Installs whatever `needs` asks for and the toolchain lacks, printing each
/// rustup call; without rustup, fails with the commands to run instead.
pub fn ensure(needs: Needs) -> Result<()> {
    let sysroot = sysroot()?;
    let missing = missing_parts(&sysroot, needs);
    if missing.is_empty() {
        return Ok(());
    }
    let calls = rustup_calls(&missing, std::env::var("RUSTUP_TOOLCHAIN").ok().as_deref());
    if !setup::on_path("rustup") {
        return Err(format!(
            "the Rust toolchain at {} lacks {}, and rustup is not installed to add it. \
             Install Rust through rustup (https://rustup.rs), then run `{}`",
            sysroot.display(),
            describe(&missing),
            calls.iter().map(|c| c.join(" ")).collect::<Vec<_>>().join(" && ")
        )
        .into());
    }
    for call in calls {
        println!(
            "the toolchain lacks {}: running `{}`",
            describe(&missing),
            call.join(" ")
        );
        setup::run(Command::new(&call[0]).current_dir(root()).args(&call[1..]))?;
    }
    let still = missing_parts(&sysroot, needs);
    if still.is_empty() {
        Ok(())
    } else {
        Err(format!("rustup ran, but {} still lacks {}", sysroot.display(), describe(&still)).into())
    }
}

/// The sysroot of the rustc that cargo uses in this repository (so the
/// toolchain file's channel applies).
fn sysroot() -> Result<PathBuf> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let output = setup::capture(Command::new(&rustc).current_dir(root()).args(["--print", "sysroot"]))?;
    if !output.status.success() {
        return Err(format!(
            "`{rustc} --print sysroot` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
}

/// What the toolchain at `sysroot` lacks for `needs`, judged by the files
/// each part installs (a rustup proxy on PATH says nothing about them).
fn missing_parts(sysroot: &Path, needs: Needs) -> Vec<Missing> {
    let mut missing = Vec::new();
    if !sysroot.join("lib/rustlib").join(WASM_TARGET).join("lib").is_dir() {
        missing.push(Missing::Target(WASM_TARGET));
    }
    if needs == Needs::BuildAndLint {
        if !sysroot.join("bin/cargo-fmt").is_file() {
            missing.push(Missing::Component("rustfmt"));
        }
        if !sysroot.join("bin/cargo-clippy").is_file() {
            missing.push(Missing::Component("clippy"));
        }
    }
    missing
}

/// The rustup command lines that add `missing`, for the toolchain rustup
/// chose (`RUSTUP_TOOLCHAIN`, which rustup's proxies set) when known.
fn rustup_calls(missing: &[Missing], toolchain: Option<&str>) -> Vec<Vec<String>> {
    let mut calls = Vec::new();
    let mut call = |verb: &str, names: Vec<&str>| {
        if names.is_empty() {
            return;
        }
        let mut line = vec!["rustup".to_string(), verb.to_string(), "add".to_string()];
        if let Some(toolchain) = toolchain {
            line.extend(["--toolchain".to_string(), toolchain.to_string()]);
        }
        line.extend(names.into_iter().map(str::to_string));
        calls.push(line);
    };
    let targets = missing.iter().filter_map(|m| match m {
        Missing::Target(name) => Some(*name),
        Missing::Component(_) => None,
    });
    call("target", targets.collect());
    let components = missing.iter().filter_map(|m| match m {
        Missing::Component(name) => Some(*name),
        Missing::Target(_) => None,
    });
    call("component", components.collect());
    calls
}

fn describe(missing: &[Missing]) -> String {
    let names: Vec<String> = missing
        .iter()
        .map(|m| match m {
            Missing::Target(name) => format!("the {name} target"),
            Missing::Component(name) => format!("the {name} component"),
        })
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake sysroot with the given relative paths present.
    fn sysroot_with(paths: &[&str]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xtask-sysroot-{}-{}",
            std::process::id(),
            paths.join("+").replace('/', "_")
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for path in paths {
            let full = dir.join(path);
            if path.ends_with('/') {
                std::fs::create_dir_all(&full).unwrap();
            } else {
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(&full, "").unwrap();
            }
        }
        dir
    }

    #[test]
    fn a_toolchain_without_the_target_or_lint_tools_lacks_all_three() {
        let bare = sysroot_with(&["lib/rustlib/x86_64-unknown-linux-gnu/lib/", "bin/rustfmt"]);
        assert_eq!(
            missing_parts(&bare, Needs::BuildAndLint),
            [
                Missing::Target(WASM_TARGET),
                Missing::Component("rustfmt"),
                Missing::Component("clippy")
            ]
        );
        assert_eq!(missing_parts(&bare, Needs::Build), [Missing::Target(WASM_TARGET)]);
    }

    #[test]
    fn a_complete_toolchain_lacks_nothing() {
        let full = sysroot_with(&[
            "lib/rustlib/wasm32-unknown-unknown/lib/",
            "bin/cargo-fmt",
            "bin/cargo-clippy",
        ]);
        assert!(missing_parts(&full, Needs::BuildAndLint).is_empty());
    }

    #[test]
    fn rustup_is_asked_once_per_kind_for_the_toolchain_in_use() {
        let missing = [
            Missing::Target(WASM_TARGET),
            Missing::Component("rustfmt"),
            Missing::Component("clippy"),
        ];
        assert_eq!(
            rustup_calls(&missing, Some("stable-x86_64-unknown-linux-gnu")),
            [
                "rustup target add --toolchain stable-x86_64-unknown-linux-gnu wasm32-unknown-unknown",
                "rustup component add --toolchain stable-x86_64-unknown-linux-gnu rustfmt clippy"
            ]
            .map(|line| line.split(' ').map(str::to_string).collect::<Vec<_>>())
        );
        assert_eq!(
            rustup_calls(&[Missing::Component("clippy")], None),
            [["rustup", "component", "add", "clippy"].map(str::to_string).to_vec()]
        );
    }
}
