//! Monte-Carlo curves: how the experiment's numbers move with d_k.
//!
//! One sample is one run of the experiment at one d_k with one trial seed.
//! Trial `i` uses seed `page seed + i` (wrapping), so trial 0 is exactly the
//! view on the page and the whole sweep is reproducible from the page's URL.
//! Runs go trial by trial and, within a trial, over every d_k: a trial's
//! normal stream is drawn once and shared by all its d_k, and after the first
//! trial every curve already has a point at every d_k.
//!
//! A sweep advances in slices of runs ([`Sweep::advance`]), so a page can
//! spread a large one over many frames, show progress, and drop it when the
//! settings change.

use crate::config::{Config, ConfigError, LogitControl, QkSource, ScoreFunction};
use crate::experiment::{Experiment, Panel};
use crate::stats::{quantile_sorted, sort_total};

/// A quantity tracked per run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Population std of the unscaled scores.
    StdUnscaled,
    /// Population std of the scaled scores.
    StdScaled,
    /// Mean over rows of the largest weight, unscaled panel.
    MaxProbUnscaled,
    /// Mean over rows of the largest weight, scaled panel.
    MaxProbScaled,
    /// Mean row entropy / ln T, unscaled panel.
    EntropyUnscaled,
    /// Mean row entropy / ln T, scaled panel.
    EntropyScaled,
    /// Mean gradient signal, unscaled panel.
    GradientUnscaled,
    /// Mean gradient signal, scaled panel.
    GradientScaled,
    /// Mean of the diagonal scores, unscaled.
    DiagonalUnscaled,
    /// Mean of the diagonal scores, scaled.
    DiagonalScaled,
}

named_enum!(
    Metric,
    "metric",
    StdUnscaled => "std_unscaled",
    StdScaled => "std_scaled",
    MaxProbUnscaled => "max_prob_unscaled",
    MaxProbScaled => "max_prob_scaled",
    EntropyUnscaled => "entropy_unscaled",
    EntropyScaled => "entropy_scaled",
    GradientUnscaled => "gradient_unscaled",
    GradientScaled => "gradient_scaled",
    DiagonalUnscaled => "diagonal_unscaled",
    DiagonalScaled => "diagonal_scaled"
);

/// Mean and the 10th and 90th percentiles of one metric at one d_k.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    /// Mean over the trials done so far.
    pub mean: f64,
    /// 10th percentile (linear interpolation, as `np.percentile`).
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// What a sweep varies from point to point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// d_k, at the base's T.
    KeyDimension,
    /// T, at the base's d_k, with random tokens (a text has its own T); a
    /// padding longer than a point's T pads all of it.
    Tokens,
}

/// A sweep over key dimensions (or numbers of tokens) and trials.
#[derive(Clone, Debug)]
pub struct Sweep {
    base: Config,
    axis: Axis,
    /// The points of the axis: d_k values, or T values.
    dims: Vec<usize>,
    trials: usize,
    done: usize,
    experiment: Experiment,
    /// `samples[(metric · dims + dim) · trials + trial]`.
    samples: Vec<f64>,
}

impl Sweep {
    /// Largest number of trials.
    pub const MAX_TRIALS: usize = 4096;

    /// The most d_k values, and runs (d_k values × trials), in one sweep:
    /// its samples are kept, ten metrics a run (80 MB at most).
    pub const MAX_DIMS: usize = 4096;
    /// See [`Sweep::MAX_DIMS`].
    pub const MAX_RUNS: usize = 1 << 20;

    /// A sweep of `base` (its modes, T and seed; its d_k is ignored) over
    /// `dims`, `trials` times each. Nothing is computed yet.
    pub fn new(base: Config, dims: Vec<usize>, trials: usize) -> Result<Self, ConfigError> {
        Self::along(Axis::KeyDimension, base, dims, trials)
    }

    /// A sweep of `base` (its modes, d_k and seed; its T is ignored) over
    /// the numbers of tokens `tokens`, `trials` times each: how a softmax
    /// row behaves as the context grows (SSMax's question).
    pub fn over_tokens(base: Config, tokens: Vec<usize>, trials: usize) -> Result<Self, ConfigError> {
        Self::along(Axis::Tokens, base, tokens, trials)
    }

    fn along(axis: Axis, base: Config, dims: Vec<usize>, trials: usize) -> Result<Self, ConfigError> {
        let runs = dims.len().saturating_mul(trials.clamp(1, Self::MAX_TRIALS));
        if dims.len() > Self::MAX_DIMS || runs > Self::MAX_RUNS {
            return Err(ConfigError::SweepTooLarge { runs });
        }
        for &point in &dims {
            at(axis, base, point).validate()?;
        }
        let trials = trials.clamp(1, Self::MAX_TRIALS);
        Ok(Sweep {
            base,
            axis,
            samples: vec![f64::NAN; Metric::ALL.len() * dims.len() * trials],
            dims,
            trials,
            done: 0,
            experiment: Experiment::new(),
        })
    }

    /// Takes the rows from these tokens in every run (see
    /// [`Experiment::set_tokens`]); the sweep's T must be their number.
    ///
    /// # Errors
    /// If there are tokens and the sweep's T is not their number.
    pub fn set_tokens(&mut self, tokens: Option<Vec<String>>) -> Result<(), ConfigError> {
        if let Some(words) = &tokens
            && (words.len() != self.base.tokens || self.axis == Axis::Tokens)
        {
            return Err(ConfigError::TokenCount {
                tokens: words.len(),
                t: self.base.tokens,
            });
        }
        self.experiment.set_tokens(tokens);
        Ok(())
    }

    /// The seed of trial `trial`.
    pub fn trial_seed(&self, trial: usize) -> u32 {
        self.base.seed.wrapping_add(trial as u32)
    }

    /// The key dimensions, in order.
    pub fn dims(&self) -> &[usize] {
        &self.dims
    }

    /// Trials per d_k.
    pub fn trials(&self) -> usize {
        self.trials
    }

    /// Runs done so far.
    pub fn runs_done(&self) -> usize {
        self.done
    }

    /// Runs in the whole sweep.
    pub fn runs_total(&self) -> usize {
        self.dims.len() * self.trials
    }

    /// Does up to `runs` more runs; true when the sweep is complete.
    pub fn advance(&mut self, runs: usize) -> bool {
        let end = self.done.saturating_add(runs).min(self.runs_total());
        while self.done < end {
            let (trial, dim) = (self.done / self.dims.len(), self.done % self.dims.len());
            let config = Config {
                seed: self.trial_seed(trial),
                ..at(self.axis, self.base, self.dims[dim])
            };
            // Validated in `new`. (Not `expect`: formatting the error would
            // pull float printing into the WebAssembly build.)
            let ran = self.experiment.run(config);
            debug_assert!(ran.is_ok(), "validated when the sweep was made");
            let (u, s) = (
                self.experiment.report(Panel::Unscaled),
                self.experiment.report(Panel::Scaled),
            );
            let values = [
                u.std,
                s.std,
                u.saturation.max_prob_mean,
                s.saturation.max_prob_mean,
                u.saturation.entropy_fraction,
                s.saturation.entropy_fraction,
                u.saturation.gradient_mean,
                s.saturation.gradient_mean,
                u.split.diagonal_mean,
                s.split.diagonal_mean,
            ];
            for (metric, value) in values.into_iter().enumerate() {
                self.samples[(metric * self.dims.len() + dim) * self.trials + trial] = value;
            }
            self.done += 1;
        }
        self.done == self.runs_total()
    }

    /// The band of `metric` at every d_k, over the trials done so far
    /// (NaN samples, from rows broken by a naive softmax, left out).
    pub fn bands(&self, metric: Metric) -> Vec<Band> {
        let m = Metric::ALL.iter().position(|&x| x == metric).expect("a listed metric");
        let mut sorted = Vec::with_capacity(self.trials);
        (0..self.dims.len())
            .map(|dim| {
                let start = (m * self.dims.len() + dim) * self.trials;
                sorted.clear();
                sorted.extend(
                    self.samples[start..start + self.trials]
                        .iter()
                        .copied()
                        .filter(|v| !v.is_nan()),
                );
                sort_total(&mut sorted);
                let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
                Band {
                    mean,
                    p10: quantile_sorted(&sorted, 0.1),
                    p90: quantile_sorted(&sorted, 0.9),
                }
            })
            .collect()
    }

    /// What theory says `metric` should be at `d_k` for this sweep's modes,
    /// where it says something simple. With components of mean μ and
    /// variance σ² (any of the distributions; after LayerNorm, μ = 0 and
    /// σ = 1 to within its epsilon) and a key's correlation ρ with its own
    /// query:
    /// - independent Q, K with dot products and ρ = 0: `q · k` has variance
    ///   `d_k σ⁴`, and over the T × T matrix each query's and each key's own
    ///   offset `μ σ Σx` adds `d_k μ² σ²` twice, so the std is
    ///   `σ √(d_k (σ² + 2μ²))` (`√d_k` for the notebook's inputs), times
    ///   `scale` after scaling (1 for the `1/√d_k` rule);
    /// - the diagonal of dot products has mean `d_k (σ² + μ²)` with Q = K
    ///   (`|x|²`) and `d_k (ρ σ² + μ²)` with independent Q and K (slope ρ:
    ///   the regime where `1/d_k` keeps logits in range), times `scale`;
    /// - Q = K with cosine: the diagonal is 1, and `scale` after scaling.
    ///
    /// QK-norm, a gain or a cap change the scores themselves: no line then,
    /// but a cap bounds a row's largest weight (see [`Sweep::cap_bound`]).
    pub fn theory(&self, metric: Metric, d_k: usize) -> Option<f64> {
        if self.axis == Axis::Tokens {
            return self.entropy_theory(metric, d_k);
        }
        if matches!(metric, Metric::MaxProbUnscaled | Metric::MaxProbScaled) {
            return self.cap_bound();
        }
        if self.base.logits != LogitControl::NONE {
            return None;
        }
        let scaled = matches!(
            metric,
            Metric::StdScaled
                | Metric::DiagonalScaled
                | Metric::MaxProbScaled
                | Metric::EntropyScaled
                | Metric::GradientScaled
        );
        // SSMax's factor differs from row to row: no one line for its panel.
        if scaled && self.base.scale.per_row() {
            return None;
        }
        let scale = self.base.scale.factor(d_k, self.base.tokens);
        let d = d_k as f64;
        let inputs = self.base.inputs;
        let (s2, m2) = if inputs.layer_norm {
            (1.0, 0.0)
        } else {
            (inputs.sigma * inputs.sigma, inputs.mu * inputs.mu)
        };
        let std = (d * s2 * (s2 + 2.0 * m2)).sqrt();
        let uncorrelated = inputs.rho == 0.0;
        let diagonal = match self.base.qk {
            QkSource::SelfAttention => d * (s2 + m2),
            QkSource::Independent => d * (inputs.rho * s2 + m2),
        };
        match (self.base.qk, self.base.score, metric) {
            (QkSource::Independent, ScoreFunction::Dot, Metric::StdUnscaled) if uncorrelated => Some(std),
            (QkSource::Independent, ScoreFunction::Dot, Metric::StdScaled) if uncorrelated => Some(std * scale),
            (_, ScoreFunction::Dot, Metric::DiagonalUnscaled) => Some(diagonal),
            (_, ScoreFunction::Dot, Metric::DiagonalScaled) => Some(diagonal * scale),
            (QkSource::SelfAttention, ScoreFunction::Cosine, Metric::DiagonalUnscaled) => Some(1.0),
            (QkSource::SelfAttention, ScoreFunction::Cosine, Metric::DiagonalScaled) => Some(scale),
            _ => None,
        }
    }
}

impl Sweep {
    /// With a cap c every logit lies in [−c, c] before τ divides it, so a
    /// row of n keys has logits within 2c/τ of each other and its largest
    /// weight is at most `1 / (1 + (n − 1) e^(−2c/τ))`: the mean of that
    /// over the rows that see a key bounds the largest-weight curve, at
    /// every d_k (None without a cap).
    fn cap_bound(&self) -> Option<f64> {
        let c = self.base;
        let cap = c.logits.cap;
        if cap == 0.0 {
            return None;
        }
        let t = c.tokens;
        let shrink = (-2.0 * cap / c.temperature).exp();
        let rows: Vec<usize> = (0..t).map(|i| c.mask.keys(i, t).len()).filter(|&n| n > 0).collect();
        let sum: f64 = rows.iter().map(|&n| 1.0 / (1.0 + (n as f64 - 1.0) * shrink)).sum();
        (!rows.is_empty()).then(|| sum / rows.len() as f64)
    }

    /// Along T: a row's entropy ÷ ln T for T independent logits of
    /// variance σ_z², in the large-T limit `1 − σ_z² / (2 ln T)` (ln Z →
    /// ln T + σ_z²/2 and Σ p z → σ_z²), which flattens towards 1 as T grows.
    /// Only where the logits are that: independent, centred, uncorrelated
    /// rows with dot products and nothing else, one scale factor; and only
    /// while σ_z² ≤ ln T (beyond, the rows freeze onto their largest logit
    /// and the limit no longer holds). NumPy, 32 seeds, d_k = 64: 0.886 and
    /// 0.912 at T = 64 and 256 against 0.880 and 0.910.
    fn entropy_theory(&self, metric: Metric, tokens: usize) -> Option<f64> {
        let c = at(Axis::Tokens, self.base, tokens);
        let inputs = c.inputs;
        let centred = inputs.layer_norm || inputs.mu == 0.0;
        let plain = c.logits == LogitControl::NONE && !c.mask.hides_any(tokens);
        let simple = c.qk == QkSource::Independent && c.score == ScoreFunction::Dot && inputs.rho == 0.0;
        if !(centred && plain && simple) || tokens < 2 {
            return None;
        }
        let factor = match metric {
            Metric::EntropyUnscaled => 1.0,
            Metric::EntropyScaled if !c.scale.per_row() => c.scale.factor(c.d_k, tokens),
            _ => return None,
        };
        let variance = if inputs.layer_norm {
            1.0
        } else {
            inputs.sigma * inputs.sigma
        };
        let sigma = variance * (c.d_k as f64).sqrt() * factor / c.temperature;
        let ln_t = (tokens as f64).ln();
        (sigma * sigma <= ln_t).then(|| 1.0 - sigma * sigma / (2.0 * ln_t))
    }
}

/// The config of one point of a sweep along `axis`.
fn at(axis: Axis, base: Config, point: usize) -> Config {
    match axis {
        Axis::KeyDimension => Config { d_k: point, ..base },
        Axis::Tokens => Config {
            tokens: point,
            mask: crate::mask::Mask {
                pad: base.mask.pad.min(point),
                ..base.mask
            },
            ..base
        },
    }
}

#[cfg(test)]
mod tests;
