//! The project's build helper, run as `cargo xtask <command>`.
//!
//! One Rust program instead of shell scripts, so the same steps run the same
//! way on every machine: it builds the WebAssembly engine and its JavaScript
//! glue (through `wasm-bindgen-cli-support`, no separate binary to install),
//! assembles the static site, serves it, and runs every test suite with one
//! closing tally. See ARCHITECTURE.md for where each step fits.

mod bench;
mod server;
mod setup;
mod site;
mod tally;
mod test;
mod toolchain;
mod wheel;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Errors are reported as text and end the command with a failure status.
pub type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--port N] [--prefix P] [--no-build]
                                 build the site into dist/ and serve it on http://127.0.0.1:8000
                                 (at the URL path P, e.g. /course/week-3/, to try a sub-folder)
  dist                           build the publishable static site into dist/
  test [--repeat N]              run every check and test suite; ends with `tests: N passed, M failed`
                                 (--repeat N runs each browser test N times in a row, no retries:
                                 a flakiness check)
  wheel                          build the Jupyter widget's wheel (python/) into target/wheels/, with the site inside
  bench                          measure slider steps and page size in headless Chromium
  fixtures [--pins]              regenerate tests/fixtures/numpy_reference.json with NumPy (makes a venv);
                                 --pins instead rewrites tests/fixtures/determinism.json from the
                                 core's own bits (only for a deliberate change of them)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match command {
        "serve" => serve(rest),
        "dist" => {
            optional_tools();
            site::build(&dist_dir()).map(|_| ())
        }
        "test" => test::Options::parse(rest).and_then(test::run),
        "wheel" => {
            optional_tools();
            site::build(&dist_dir()).and_then(|dir| wheel::build(&dir)).map(|_| ())
        }
        "bench" => bench::run(),
        "fixtures" => match rest {
            [] => setup::regenerate_fixtures(),
            [flag] if flag == "--pins" => setup::rewrite_pins(),
            _ => Err(format!("fixtures: unknown options {rest:?}").into()),
        },
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}").into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask {command}: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &[String]) -> Result<()> {
    let mut port = 8000u16;
    let mut build = true;
    let mut prefix = "/".to_string();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a number")?;
                port = value
                    .parse()
                    .map_err(|_| format!("--port: `{value}` is not a port number"))?;
            }
            "--prefix" => prefix = args.next().ok_or("--prefix needs a URL path")?.clone(),
            "--no-build" => build = false,
            other => return Err(format!("serve: unknown option `{other}`").into()),
        }
    }
    let dir = dist_dir();
    if build {
        optional_tools();
        site::build(&dir)?;
    }
    let server = server::Server::start_under(&dir, port, &prefix)?;
    println!("serving {} at {}  (Ctrl-C to stop)", dir.display(), server.url());
    server.wait();
    Ok(())
}

/// Installs npm's `wasm-opt` and terser when npm is there; without npm the
/// site is built all the same, only larger.
fn optional_tools() {
    if let Err(e) = setup::npm_dependencies() {
        println!("  note: {e}; the site is built without wasm-opt and terser");
    }
}

/// The repository root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the root")
        .to_path_buf()
}

/// Where the built site goes: `dist/` at the root.
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}
