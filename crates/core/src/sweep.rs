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

/// A sweep over key dimensions and trials.
#[derive(Clone, Debug)]
pub struct Sweep {
    base: Config,
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
        let runs = dims.len().saturating_mul(trials.clamp(1, Self::MAX_TRIALS));
        if dims.len() > Self::MAX_DIMS || runs > Self::MAX_RUNS {
            return Err(ConfigError::SweepTooLarge { runs });
        }
        for &d_k in &dims {
            Config { d_k, ..base }.validate()?;
        }
        let trials = trials.clamp(1, Self::MAX_TRIALS);
        Ok(Sweep {
            base,
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
            && words.len() != self.base.tokens
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
                d_k: self.dims[dim],
                seed: self.trial_seed(trial),
                ..self.base
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
    /// QK-norm, a gain or a cap change the scores themselves: no line then.
    pub fn theory(&self, metric: Metric, d_k: usize) -> Option<f64> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Vec<usize> {
        (4..=256).step_by(4).collect()
    }

    /// Every argument from JavaScript is handled: a budget of u32::MAX runs
    /// (it used to wrap), tokens that do not match T, sweeps too big to keep.
    #[test]
    fn hostile_arguments_are_refused_or_handled() {
        let mut sweep = Sweep::new(Config::NOTEBOOK, vec![4, 8], 2).unwrap();
        assert!(!sweep.advance(1));
        assert!(sweep.advance(usize::MAX));
        assert_eq!(sweep.runs_done(), 4);
        assert_eq!(
            sweep.set_tokens(Some(vec!["one".into(), "two".into()])),
            Err(ConfigError::TokenCount { tokens: 2, t: 10 })
        );
        let words: Vec<String> = (0..10).map(|i| format!("w{i}")).collect();
        assert_eq!(sweep.set_tokens(Some(words)), Ok(()));
        let too_many = Sweep::new(Config::NOTEBOOK, vec![4; 4097], 1);
        assert!(matches!(too_many, Err(ConfigError::SweepTooLarge { .. })));
        let too_long = Sweep::new(Config::NOTEBOOK, vec![4; 1024], 4096);
        assert!(matches!(too_long, Err(ConfigError::SweepTooLarge { runs: 4_194_304 })));
    }

    #[test]
    fn trial_zero_is_the_page_view() {
        let base = Config {
            d_k: 64,
            ..Config::NOTEBOOK
        };
        let mut sweep = Sweep::new(base, vec![16, 64], 3).unwrap();
        assert!(sweep.advance(100));
        let mut page = Experiment::new();
        page.run(base).unwrap();
        // Trial 0 at d_k = 64 holds the page's own std.
        assert_eq!(sweep.samples[3], page.report(Panel::Unscaled).std);
    }

    #[test]
    fn advancing_in_slices_equals_advancing_at_once() {
        let base = Config {
            qk: QkSource::Independent,
            ..Config::NOTEBOOK
        };
        let mut a = Sweep::new(base, vec![4, 8, 12], 5).unwrap();
        let mut b = a.clone();
        assert!(a.advance(usize::MAX));
        while !b.advance(4) {}
        assert_eq!(a.bands(Metric::GradientScaled), b.bands(Metric::GradientScaled));
        assert_eq!(b.runs_done(), 15);
    }

    #[test]
    fn independent_scaled_std_is_one_and_unscaled_is_sqrt_dk() {
        let base = Config {
            qk: QkSource::Independent,
            seed: 7,
            ..Config::NOTEBOOK
        };
        let mut sweep = Sweep::new(base, grid(), 256).unwrap();
        sweep.advance(usize::MAX);
        let (unscaled, scaled) = (sweep.bands(Metric::StdUnscaled), sweep.bands(Metric::StdScaled));
        for (i, &d_k) in sweep.dims().iter().enumerate() {
            let ratio = unscaled[i].mean / (d_k as f64).sqrt();
            assert!((ratio - 1.0).abs() <= 0.05, "d_k {d_k}: unscaled std / √d_k = {ratio}");
            assert!(
                (scaled[i].mean - 1.0).abs() <= 0.05,
                "d_k {d_k}: scaled std {}",
                scaled[i].mean
            );
            assert!(scaled[i].p10 <= scaled[i].mean && scaled[i].mean <= scaled[i].p90);
        }
        // The theory lines drawn over these curves: 1, and √d_k.
        for (d_k, root) in [(4, 2.0), (16, 4.0), (64, 8.0), (256, 16.0)] {
            let scaled = sweep.theory(Metric::StdScaled, d_k).unwrap();
            assert!((scaled - 1.0).abs() <= 1e-12, "d_k {d_k}: {scaled}");
            assert_eq!(sweep.theory(Metric::StdUnscaled, d_k), Some(root));
        }
    }

    #[test]
    fn self_mode_diagonal_mean_is_dk() {
        let mut sweep = Sweep::new(Config::NOTEBOOK, grid(), 256).unwrap();
        sweep.advance(usize::MAX);
        for (band, &d_k) in sweep.bands(Metric::DiagonalUnscaled).iter().zip(sweep.dims()) {
            assert!(
                (band.mean / d_k as f64 - 1.0).abs() <= 0.05,
                "d_k {d_k}: diagonal mean {}",
                band.mean
            );
        }
        assert_eq!(sweep.theory(Metric::DiagonalScaled, 64), Some(8.0));
        assert_eq!(sweep.theory(Metric::StdUnscaled, 64), None);
    }

    /// The inputs' theory lines against the Monte-Carlo means: an offset μ
    /// widens the spread to σ √(d_k (σ² + 2μ²)), whatever the distribution;
    /// keys correlated with their queries put ρ·d_k on the diagonal.
    #[test]
    fn the_inputs_theory_lines_follow_the_curves() {
        use crate::inputs::{Distribution, Inputs};
        let dims = vec![16, 64, 256];
        let check = |inputs: Inputs, metric: Metric, within: f64| {
            let base = Config {
                qk: QkSource::Independent,
                tokens: 32,
                seed: 5,
                inputs,
                ..Config::NOTEBOOK
            };
            let mut sweep = Sweep::new(base, dims.clone(), 64).unwrap();
            sweep.advance(usize::MAX);
            for (band, &d_k) in sweep.bands(metric).iter().zip(&dims) {
                let theory = sweep.theory(metric, d_k).expect("a theory line");
                assert!(
                    (band.mean / theory - 1.0).abs() <= within,
                    "{inputs:?} {metric:?} d_k {d_k}: {} vs theory {theory}",
                    band.mean
                );
            }
        };
        for distribution in Distribution::ALL.iter().copied() {
            let offset = Inputs {
                distribution,
                sigma: 1.5,
                mu: 0.8,
                ..Inputs::STANDARD
            };
            check(offset, Metric::StdUnscaled, 0.06);
        }
        check(
            Inputs {
                rho: 0.6,
                ..Inputs::STANDARD
            },
            Metric::DiagonalUnscaled,
            0.06,
        );
        check(
            Inputs {
                rho: 0.6,
                layer_norm: true,
                mu: 3.0,
                ..Inputs::STANDARD
            },
            Metric::DiagonalUnscaled,
            0.06,
        );
        // An offset with correlated keys: the keys keep the mean μ, so the diagonal is d_k(ρσ² + μ²).
        let offset = Inputs {
            rho: 0.5,
            mu: 1.0,
            sigma: 1.5,
            ..Inputs::STANDARD
        };
        check(offset, Metric::DiagonalUnscaled, 0.06);
        let sweep = |inputs| {
            Sweep::new(
                Config {
                    qk: QkSource::Independent,
                    inputs,
                    ..Config::NOTEBOOK
                },
                dims.clone(),
                1,
            )
            .unwrap()
        };
        // Exactly: the diagonal's theory is ρ·d_k (+ μ²·d_k), and no std line where ρ > 0 makes it no simple formula.
        let correlated = sweep(Inputs {
            rho: 0.25,
            mu: 0.5,
            ..Inputs::STANDARD
        });
        assert_eq!(
            correlated.theory(Metric::DiagonalUnscaled, 64),
            Some(64.0 * (0.25 + 0.25))
        );
        assert_eq!(correlated.theory(Metric::StdUnscaled, 64), None);
    }

    #[test]
    fn sweeps_are_reproducible() {
        let run = || {
            let mut s = Sweep::new(
                Config {
                    seed: 99,
                    ..Config::NOTEBOOK
                },
                vec![8, 32, 128],
                8,
            )
            .unwrap();
            s.advance(usize::MAX);
            s.bands(Metric::EntropyScaled)
        };
        assert_eq!(run(), run());
    }
}
