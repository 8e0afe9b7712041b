//! Counting results across suites, for the one closing line CI reads.

/// Passed and failed counts per suite, in the order the suites ran.
#[derive(Default)]
pub struct Tally {
    suites: Vec<Suite>,
}

struct Suite {
    name: String,
    passed: usize,
    failed: usize,
    note: String,
}

impl Tally {
    /// Records one suite's counts.
    pub fn add(&mut self, name: &str, passed: usize, failed: usize, note: impl Into<String>) {
        self.suites.push(Suite {
            name: name.to_string(),
            passed,
            failed,
            note: note.into(),
        });
    }

    /// Records a single pass/fail check (fmt, clippy, an invariant).
    pub fn check(&mut self, name: &str, ok: bool, note: impl Into<String>) {
        self.add(name, usize::from(ok), usize::from(!ok), note);
    }

    /// Total failures so far.
    pub fn failed(&self) -> usize {
        self.suites.iter().map(|s| s.failed).sum()
    }

    /// Prints one line per suite, then `tests: N passed, M failed` alone on
    /// the last line.
    pub fn print(&self) {
        println!("\n== summary ==");
        for suite in &self.suites {
            let mark = if suite.failed == 0 { "ok  " } else { "FAIL" };
            let note = if suite.note.is_empty() {
                String::new()
            } else {
                format!("  ({})", suite.note)
            };
            println!(
                "{mark} {:<34} {:>4} passed, {} failed{note}",
                suite.name, suite.passed, suite.failed
            );
        }
        let passed: usize = self.suites.iter().map(|s| s.passed).sum();
        println!("tests: {passed} passed, {} failed", self.failed());
    }
}

/// Sums `test result: ok. N passed; M failed; …` lines of `cargo test`.
pub fn parse_cargo_test(output: &str) -> (usize, usize, usize) {
    let (mut passed, mut failed, mut blocks) = (0, 0, 0);
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            continue;
        };
        blocks += 1;
        for part in rest.split(';') {
            let words: Vec<&str> = part.split_whitespace().collect();
            match words.as_slice() {
                [.., n, "passed"] => passed += n.parse::<usize>().unwrap_or(0),
                [n, "failed"] => failed += n.parse::<usize>().unwrap_or(0),
                _ => {}
            }
        }
    }
    (passed, failed, blocks)
}

/// Reads the `# pass N` and `# fail M` lines that end Node's TAP report
/// (`node --test --test-reporter=tap`); None when they are missing.
pub fn parse_node_tap(output: &str) -> Option<(usize, usize)> {
    let count = |key: &str| {
        output
            .lines()
            .rev()
            .find_map(|line| line.trim().strip_prefix(key)?.trim().parse::<usize>().ok())
    };
    Some((count("# pass ")?, count("# fail ")?))
}

/// Reads pytest's closing summary (`3 failed, 95 passed, 1 skipped in 2.1s`):
/// passed, and everything else that is not a pass (failed, errors, skipped,
/// xfailed, xpassed: none of them proves anything); None without one.
pub fn parse_pytest(output: &str) -> Option<(usize, usize)> {
    let line = output
        .lines()
        .rev()
        .find(|l| l.contains(" in ") && (l.contains("passed") || l.contains("failed") || l.contains("error")))?;
    let summary = line.trim().trim_matches('=').trim();
    let (counts, _) = summary.rsplit_once(" in ")?;
    let (mut passed, mut other) = (0, 0);
    for part in counts.split(',') {
        let words: Vec<&str> = part.split_whitespace().collect();
        let [n, kind] = words.as_slice() else { return None };
        let n: usize = n.parse().ok()?;
        if *kind == "passed" { passed += n } else { other += n }
    }
    Some((passed, other))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_result_lines() {
        let out = "running 3 tests\ntest result: ok. 21 passed; 0 failed; 0 ignored; 0 measured\n\
                   test result: FAILED. 3 passed; 2 failed; 0 ignored\n";
        assert_eq!(parse_cargo_test(out), (24, 2, 2));
    }

    #[test]
    fn reads_node_tap_summaries() {
        let out = "TAP version 13\nok 1 - a\nnot ok 2 - b\n1..2\n# tests 2\n# pass 1\n# fail 1\n# skipped 0\n";
        assert_eq!(parse_node_tap(out), Some((1, 1)));
        assert_eq!(parse_node_tap("Error: cannot find module\n"), None);
    }

    #[test]
    fn reads_pytest_summaries() {
        assert_eq!(parse_pytest("..\n95 passed in 1.20s\n"), Some((95, 0)));
        assert_eq!(
            parse_pytest("F.\n===== 2 failed, 93 passed, 1 skipped, 1 error in 3.01s =====\n"),
            Some((93, 4))
        );
        assert_eq!(parse_pytest("ImportError while loading conftest\n"), None);
    }
}
