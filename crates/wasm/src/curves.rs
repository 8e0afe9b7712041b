//! The curves section's engine: a Monte-Carlo `Curves` sweep over d_k, and
//! the score `Histogram` of one panel.

use attention_core::experiment::{Config, ScaleRule};
use attention_core::stats;
use attention_core::sweep::{Metric, Sweep};
use wasm_bindgen::prelude::*;

use crate::explorer::Explorer;

/// A histogram of one panel's scores (see `Explorer.histogram`).
#[wasm_bindgen]
pub struct Histogram {
    core: stats::Histogram,
}

impl From<stats::Histogram> for Histogram {
    fn from(core: stats::Histogram) -> Self {
        Self { core }
    }
}

#[wasm_bindgen]
impl Histogram {
    /// Off-diagonal counts per bin.
    #[wasm_bindgen(js_name = offDiagonal)]
    pub fn off_diagonal(&self) -> Vec<u32> {
        self.core.off_diagonal.clone()
    }
    /// Diagonal counts per bin.
    pub fn diagonal(&self) -> Vec<u32> {
        self.core.diagonal.clone()
    }
    /// The `bins + 1` bin edges, from `lo` to `hi`.
    pub fn edges(&self) -> Vec<f64> {
        self.core.edges().collect()
    }
    /// Counts per bin expected from N(0, σ²) theory; empty where there is none.
    pub fn expected(&self) -> Vec<f64> {
        self.core.expected.clone()
    }
}

/// A Monte-Carlo sweep over d_k with the modes of an explorer, computed a
/// slice at a time (see `attention_core::sweep`).
#[wasm_bindgen]
pub struct Curves {
    sweep: Sweep,
}

#[wasm_bindgen]
impl Curves {
    /// A sweep of `explorer`'s configured modes at T `tokens` and page seed
    /// `seed`, over `dims`, `trials` times each. Throws if a d_k is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(explorer: &Explorer, tokens: u32, seed: u32, dims: Vec<u32>, trials: u32) -> Result<Curves, JsError> {
        let base = Config {
            tokens: tokens as usize,
            seed,
            ..explorer.modes
        };
        let dims = dims.into_iter().map(|d| d as usize).collect();
        let mut sweep = Sweep::new(base, dims, trials as usize)?;
        sweep.set_tokens(explorer.experiment.tokens().map(<[String]>::to_vec))?;
        Ok(Curves { sweep })
    }

    /// A sweep over the numbers of tokens `tokens` (random tokens) at d_k
    /// `d_k` and page seed `seed`, `trials` times each, with `explorer`'s
    /// configured modes, or with the plain `1/√d_k` rule instead of its
    /// scale when `plain` (SSMax's comparison). Throws if a T is invalid.
    #[wasm_bindgen(js_name = overTokens)]
    pub fn over_tokens(
        explorer: &Explorer,
        d_k: u32,
        seed: u32,
        tokens: Vec<u32>,
        trials: u32,
        plain: bool,
    ) -> Result<Curves, JsError> {
        let mut base = Config {
            d_k: d_k as usize,
            seed,
            ..explorer.modes
        };
        if plain {
            base.scale = ScaleRule::InverseSqrt;
        }
        let tokens = tokens.into_iter().map(|t| t as usize).collect();
        Ok(Curves {
            sweep: Sweep::over_tokens(base, tokens, trials as usize)?,
        })
    }

    /// Does up to `runs` more runs; true when complete.
    pub fn advance(&mut self, runs: u32) -> bool {
        self.sweep.advance(runs as usize)
    }

    /// Runs done so far.
    #[wasm_bindgen(getter, js_name = runsDone)]
    pub fn runs_done(&self) -> u32 {
        self.sweep.runs_done() as u32
    }

    /// Runs in the whole sweep.
    #[wasm_bindgen(getter, js_name = runsTotal)]
    pub fn runs_total(&self) -> u32 {
        self.sweep.runs_total() as u32
    }

    /// Trials per d_k.
    #[wasm_bindgen(getter)]
    pub fn trials(&self) -> u32 {
        self.sweep.trials() as u32
    }

    /// A metric (`std_unscaled`, `std_scaled`, `max_prob_unscaled`, …) at
    /// every d_k as `[means…, 10th percentiles…, 90th percentiles…]`.
    pub fn bands(&self, metric: &str) -> Result<Vec<f64>, JsError> {
        let metric: Metric = metric.parse().map_err(|e: String| JsError::new(&e))?;
        let bands = self.sweep.bands(metric);
        let mut out: Vec<f64> = bands.iter().map(|b| b.mean).collect();
        out.extend(bands.iter().map(|b| b.p10));
        out.extend(bands.iter().map(|b| b.p90));
        Ok(out)
    }

    /// What theory says a metric is at every d_k (NaN where it says nothing).
    pub fn theory(&self, metric: &str) -> Result<Vec<f64>, JsError> {
        let metric: Metric = metric.parse().map_err(|e: String| JsError::new(&e))?;
        Ok(self
            .sweep
            .dims()
            .iter()
            .map(|&d| self.sweep.theory(metric, d).unwrap_or(f64::NAN))
            .collect())
    }
}
