//! `cargo xtask bench`: numbers, never assertions. Builds the site, serves it
//! on a free loopback port and runs tests/bench/bench.mjs in headless
//! Chromium, which prints the timings and sizes; then the Jupyter widget's
//! (tests/bench/notebook.mjs): its wheel built and installed into the test
//! venv with JupyterLab and Notebook 7, and its time to a painted explorer.

use std::path::Path;
use std::process::Command;

use crate::setup::Package;
use crate::{Result, root, server::Server, setup, site, wheel};

pub fn run() -> Result<()> {
    setup::npm_dependencies()?;
    setup::chromium()?;
    let dir = site::build(&crate::dist_dir())?;
    let server = Server::start(&dir, 0)?;
    setup::run(
        Command::new("node")
            .current_dir(root())
            .arg("tests/bench/bench.mjs")
            .env("BASE_URL", server.url())
            .env("DIST", &dir)
            .env("CHROMIUM", setup::chromium_path()),
    )?;
    notebook(&dir)
}

fn notebook(site: &Path) -> Result<()> {
    let built = wheel::build(site)?;
    let mut packages = vec![Package::named("anywidget"), Package::named("numpy")];
    packages.extend(wheel::NOTEBOOKS);
    let python = setup::python_with(&packages)?;
    setup::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall"])
            .arg(&built),
    )?;
    setup::run(
        Command::new("node")
            .current_dir(root())
            .arg("tests/bench/notebook.mjs")
            .env("JUPYTER_PYTHON", &python)
            .env("WHEEL", &built)
            .env("STANDALONE", built.with_file_name(wheel::STANDALONE))
            .env("CHROMIUM", setup::chromium_path()),
    )
}
