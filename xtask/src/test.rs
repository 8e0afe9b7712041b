//! `cargo xtask test`: every check and test suite, then one tally line.
//!
//! Order: cheap static checks, native tests, then the browser suites against
//! the built site served on a free loopback port. A suite that cannot run
//! counts as a failure with the reason, and the run goes on, so one broken
//! step does not hide the state of the others.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::tally::{Tally, parse_cargo_test, parse_node_tap, parse_pytest};
use crate::{Result, root, server::Server, setup, site, toolchain, wheel};

/// Where the sub-folder copy of the site is served during tests.
const SUBFOLDER: &str = "/course/week-3/explorer/";

/// Crates the numeric core must never depend on (ARCHITECTURE.md invariant).
const BROWSER_CRATES: [&str; 4] = ["wasm-bindgen", "web-sys", "js-sys", "getrandom"];

/// What `cargo xtask test` was asked for.
pub struct Options {
    /// How many times each browser test runs (Playwright's `--repeat-each`).
    repeat: u32,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut options = Options { repeat: 1 };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--repeat" => {
                    let value = args.next().ok_or("--repeat needs a number")?;
                    options.repeat = value
                        .parse()
                        .ok()
                        .filter(|&n| n >= 1)
                        .ok_or_else(|| format!("--repeat: `{value}` is not a whole number from 1"))?;
                }
                other => return Err(format!("test: unknown option `{other}`").into()),
            }
        }
        Ok(options)
    }
}

pub fn run(options: Options) -> Result<()> {
    let mut tally = Tally::default();
    let cargo = setup::cargo();
    // Without the wasm target and lint tools later steps fail for the same
    // reason; the tally says so first.
    let tools = toolchain::ensure(toolchain::Needs::BuildAndLint);
    tally.check(
        "toolchain: wasm32 target, rustfmt, clippy",
        tools.is_ok(),
        tools.err().map(|e| e.to_string()).unwrap_or_default(),
    );

    let fmt = quiet(Command::new(&cargo).args(["fmt", "--all", "--", "--check"]));
    tally.check("cargo fmt --check", fmt.is_ok(), fmt.err().unwrap_or_default());

    let clippy_host =
        loud(Command::new(&cargo).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]));
    tally.check("clippy (host)", clippy_host, "");
    let clippy_wasm = loud(Command::new(&cargo).args([
        "clippy",
        "-p",
        "attention-core",
        "-p",
        "attention-wasm",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]));
    tally.check("clippy (wasm32)", clippy_wasm, "");

    let invariant = core_has_no_browser_dependency();
    tally.check(
        "core knows nothing of the browser",
        invariant.is_ok(),
        invariant.err().unwrap_or_default(),
    );

    cargo_tests(&mut tally, &cargo);
    node_tests(&mut tally);
    // The site (and the widget's wheel, which carries it) for the suites below.
    let site = (|| -> Result<PathBuf> {
        setup::npm_dependencies()?;
        site::build(&crate::dist_dir())
    })();
    python_tests(&mut tally, site.as_deref().map_err(|e| e.to_string()));
    browser_tests(&mut tally, site, options.repeat);

    tally.print();
    if tally.failed() == 0 {
        Ok(())
    } else {
        Err(format!("{} failed", tally.failed()).into())
    }
}

/// Runs a command with its output captured; Err holds its last lines.
fn quiet(command: &mut Command) -> Result<(), String> {
    let output = command.current_dir(root()).output().map_err(|e| e.to_string())?;
    if output.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    eprintln!("{text}");
    Err(text.lines().take(3).collect::<Vec<_>>().join(" | "))
}

/// Runs a command with its output shown; true when it succeeds.
fn loud(command: &mut Command) -> bool {
    command.current_dir(root()).status().is_ok_and(|s| s.success())
}

/// Checks the invariant for the host build and for wasm32, where the
/// shipped engine is built (a target-specific dependency shows only there).
fn core_has_no_browser_dependency() -> Result<(), String> {
    let host = browser_crates_in_core(None)?;
    let wasm = browser_crates_in_core(Some(toolchain::WASM_TARGET))?;
    let mut found: Vec<&str> = host.into_iter().chain(wasm).collect();
    found.sort_unstable();
    found.dedup();
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("attention-core depends on {}", found.join(", ")))
    }
}

fn browser_crates_in_core(target: Option<&str>) -> Result<Vec<&'static str>, String> {
    let mut command = Command::new(setup::cargo());
    command.current_dir(root()).args([
        "tree",
        "-p",
        "attention-core",
        "--edges",
        "normal,build",
        "--prefix",
        "none",
    ]);
    if let Some(target) = target {
        command.args(["--target", target]);
    }
    let output = command.output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(browser_crates_in(&String::from_utf8_lossy(&output.stdout)))
}

/// The names from `BROWSER_CRATES` that a `cargo tree --prefix none` listing holds.
fn browser_crates_in(tree: &str) -> Vec<&'static str> {
    let names: Vec<&str> = tree.lines().filter_map(|line| line.split_whitespace().next()).collect();
    BROWSER_CRATES.into_iter().filter(|c| names.contains(c)).collect()
}

fn cargo_tests(tally: &mut Tally, cargo: &str) {
    let child = Command::new(cargo)
        .current_dir(root())
        .args(["test", "--workspace"])
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return tally.check("cargo test", false, e.to_string()),
    };
    let mut text = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
            println!("{line}");
            text.push_str(&line);
            text.push('\n');
        }
    }
    let ok = child.wait().is_ok_and(|s| s.success());
    let (passed, failed, blocks) = parse_cargo_test(&text);
    if !ok && failed == 0 {
        tally.add(
            "cargo test (native)",
            passed,
            1,
            "cargo test failed before finishing: see above",
        );
    } else {
        tally.add("cargo test (native)", passed, failed, format!("{blocks} test binaries"));
    }
}

/// The page's pure modules (no DOM), under Node's own test runner.
fn node_tests(tally: &mut Tally) {
    const NAME: &str = "JavaScript units (node --test)";
    // Files, not the folder: from Node 21 on, `--test` takes glob patterns
    // and would load a folder as a module.
    let files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/unit"))
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    let mut files: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| p.to_str().is_some_and(|name| name.ends_with(".test.mjs")))
        .collect();
    files.sort();
    if files.is_empty() {
        return tally.check(NAME, false, "no tests/unit/*.test.mjs");
    }
    let output = Command::new("node")
        .current_dir(root())
        .args(["--test", "--test-reporter=tap"])
        .args(&files)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => return tally.check(NAME, false, format!("could not run node: {e}")),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    match parse_node_tap(&text) {
        Some((passed, failed)) => {
            if failed > 0 {
                println!("{text}");
            }
            tally.add(NAME, passed, failed, "tests/unit/");
        }
        None => {
            eprintln!("{text}{}", String::from_utf8_lossy(&output.stderr));
            tally.check(NAME, false, "no TAP summary: see above");
        }
    }
}

/// The Pythons some browser tests run, as environment variables. The NumPy
/// snippet the page exports is run for real by one test (with ml_dtypes for
/// bfloat16 views); the README's course-site recipes are built with MkDocs
/// and Jupyter Book; the Jupyter widget runs in JupyterLab and Notebook 7.
/// Where one cannot be installed, the tests that need it
/// fail with the reason (`*_MISSING`) and the others still run.
fn python_env() -> Vec<(&'static str, String)> {
    use setup::Package;
    let numpy = [Package::named("numpy"), Package::named("ml_dtypes")];
    let sites = [
        Package {
            requirement: "mkdocs-material>=9.5,<10",
            module: "material",
        },
        Package {
            requirement: "jupyter-book==1.0.4",
            module: "jupyter_book",
        },
        // Jupyter Book 2's engine, with the {anywidget} directive (a package of its own beside Jupyter Book 1).
        Package {
            requirement: "mystmd>=1.11,<2",
            module: "mystmd_py",
        },
    ];
    // The notebooks the widget is tested in (the wheel itself is installed by `python_tests`).
    let jupyter = wheel::NOTEBOOKS;
    let mut env = Vec::new();
    for (packages, path, missing) in [
        (&numpy[..], "PYTHON", "PYTHON_MISSING"),
        (&sites[..], "SITE_PYTHON", "SITE_PYTHON_MISSING"),
        (&jupyter[..], "JUPYTER_PYTHON", "JUPYTER_PYTHON_MISSING"),
    ] {
        match setup::python_with(packages) {
            Ok(python) => env.push((path, python.to_string_lossy().into_owned())),
            Err(e) => {
                eprintln!("{missing}: {e}");
                env.push((missing, e.to_string()));
            }
        }
    }
    env
}

/// The Jupyter widget: its wheel, made from the site, installed into the
/// test venv beside anywidget, and pytest over python/tests.
fn python_tests(tally: &mut Tally, site: Result<&Path, String>) {
    const NAME: &str = "Python widget (pytest)";
    let prepared = (|| -> Result<PathBuf> {
        let wheel = wheel::build(site?)?;
        let python = setup::python_with(&[
            setup::Package::named("anywidget"),
            setup::Package::named("pytest"),
            setup::Package::named("numpy"),
            // The wheel's own dependency for bfloat16 views (installed with --no-deps below).
            setup::Package::named("ml_dtypes"),
            // The example notebook, run headless with a kernel of this venv.
            setup::Package::named("nbclient"),
            setup::Package::named("ipykernel"),
        ])?;
        setup::run(
            Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall"])
                .arg(wheel),
        )?;
        Ok(python)
    })();
    let python = match prepared {
        Ok(python) => python,
        Err(e) => return tally.check(NAME, false, format!("could not start: {e}")),
    };
    let output = Command::new(python)
        .current_dir(root())
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "python/tests"])
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => return tally.check(NAME, false, format!("could not run pytest: {e}")),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    match parse_pytest(&text) {
        Some((passed, failed)) => {
            if failed > 0 {
                println!("{text}");
            }
            tally.add(NAME, passed, failed, "python/tests/");
        }
        None => {
            eprintln!("{text}{}", String::from_utf8_lossy(&output.stderr));
            tally.check(NAME, false, "no pytest summary: see above");
        }
    }
}

fn browser_tests(tally: &mut Tally, site: Result<PathBuf>, repeat: u32) {
    const NAME: &str = "browser (Playwright, Chromium)";
    let prepared = (|| -> Result<(Server, Server)> {
        setup::chromium()?;
        let dir = site?;
        // The same site again, as if copied into a sub-folder of a course site.
        Ok((Server::start(&dir, 0)?, Server::start_under(&dir, 0, SUBFOLDER)?))
    })();
    let python = python_env();
    let (server, subfolder) = match prepared {
        Ok(server) => server,
        Err(e) => return tally.check(NAME, false, format!("could not start: {e}")),
    };
    let report = root().join("target/playwright-report.json");
    let _ = std::fs::remove_file(&report);
    let status = Command::new(root().join("node_modules/.bin/playwright"))
        .current_dir(root())
        .args(["test", "--config", "tests/playwright.config.mjs", "--retries=0"])
        .arg(format!("--repeat-each={repeat}"))
        .env("BASE_URL", server.url())
        .env("SUBFOLDER_URL", subfolder.url())
        .envs(python)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report)
        .env("CHROMIUM", setup::chromium_path())
        .status();
    let json = std::fs::read_to_string(&report)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
    match (status, json) {
        (Ok(status), Some(json)) => {
            let stats = &json["stats"];
            let count = |key: &str| stats[key].as_u64().unwrap_or(0) as usize;
            let (skipped, flaky) = (count("skipped"), count("flaky"));
            // Errors outside any test (a spec file that does not load) run no test of
            // that file: each is a failure, as is a failed exit with nothing else to show.
            let errors = json["errors"].as_array().map_or(0, Vec::len);
            let mut failed = count("unexpected") + skipped + flaky + errors;
            if !status.success() && failed == 0 {
                failed = 1;
            }
            // A skipped or flaky test proves nothing, so it counts as failed.
            let note = format!(
                "{skipped} skipped, {flaky} flaky, {errors} errors outside tests; report: target/playwright-report.json"
            );
            tally.add(NAME, count("expected"), failed, note);
        }
        (Ok(status), None) => tally.check(NAME, false, format!("no report written ({status})")),
        (Err(e), _) => tally.check(NAME, false, format!("could not run Playwright: {e}")),
    }
}
