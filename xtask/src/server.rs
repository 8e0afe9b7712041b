//! A small static file server for the built site, on 127.0.0.1 only.
//!
//! It exists so that serving needs nothing beyond this crate: ES modules do
//! not load from `file://`, and `.wasm` must come with `application/wasm` for
//! streaming compilation. One thread per connection, `Connection: close`,
//! GET and HEAD only, and no path may leave the served folder.
//!
//! Every answer carries the strict Content-Security-Policy that course sites
//! use ([`CSP`]), so development and every browser test run under it: an
//! inline script or style, an eval, or a request to another origin shows up
//! as a console error, which fails the tests.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread::{self, JoinHandle};

use crate::Result;

/// The policy of a strict LMS page: only this origin, WebAssembly allowed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// A running server; it stops when the process ends.
pub struct Server {
    port: u16,
    prefix: String,
    thread: JoinHandle<()>,
}

impl Server {
    /// Serves `dir` on 127.0.0.1:`port` (0 picks a free port).
    pub fn start(dir: &Path, port: u16) -> Result<Server> {
        Self::start_under(dir, port, "/")
    }

    /// Serves `dir` at the URL path `prefix` (e.g. `/course/week-3/`), as a
    /// static host serves a site copied into a sub-folder; other paths are 404.
    pub fn start_under(dir: &Path, port: u16, prefix: &str) -> Result<Server> {
        let prefix = format!("/{}/", prefix.trim_matches('/')).replace("//", "/");
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port)"))?;
        let port = listener.local_addr()?.port();
        let root = dir.canonicalize().map_err(|e| format!("{}: {e}", dir.display()))?;
        let mount = prefix.clone();
        let thread = thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, mount) = (root.clone(), mount.clone());
                thread::spawn(move || {
                    // A client that goes away mid-answer is not our error.
                    let _ = answer(stream, &root, &mount);
                });
            }
        });
        Ok(Server { port, prefix, thread })
    }

    /// The base URL, e.g. `http://127.0.0.1:8000/` (with the prefix, if any).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.prefix)
    }

    /// Blocks until the server stops (normally never).
    pub fn wait(self) {
        let _ = self.thread.join();
    }
}

fn answer(stream: TcpStream, root: &Path, mount: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; nothing in them changes the answer.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            true,
        );
    }
    let with_body = method == "GET";
    match target.strip_prefix(mount).and_then(|rest| resolve(root, rest)) {
        Some(path) => match std::fs::read(&path) {
            Ok(body) => respond(&mut out, "200 OK", content_type(&path), &body, with_body),
            Err(_) => respond(
                &mut out,
                "404 Not Found",
                "text/plain; charset=utf-8",
                b"not found\n",
                with_body,
            ),
        },
        None => respond(
            &mut out,
            "404 Not Found",
            "text/plain; charset=utf-8",
            b"not found\n",
            with_body,
        ),
    }
}

/// Maps a request target to a file below `root`, or `None` if it would
/// escape it. Query strings and fragments are ignored; `/` and folders mean
/// their `index.html`.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut file = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(out: &mut TcpStream, status: &str, kind: &str, body: &[u8], with_body: bool) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nContent-Security-Policy: {CSP}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(head.as_bytes())?;
    if with_body {
        out.write_all(body)?;
    }
    out.flush()
}
