//! `cargo xtask bench`: numbers, never assertions. Builds the site, serves it
//! on a free loopback port and runs tests/bench/bench.mjs in headless
//! Chromium, which prints the timings and sizes.

use std::process::Command;

use crate::{Result, root, server::Server, setup, site};

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
    )
}
