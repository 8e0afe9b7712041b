//! The notebook's experiment, "Scaling effect demo", with reusable buffers.
//!
//! ```text
//! X ~ N(0, 1) of shape T × d_k     (np.random.seed(seed); np.random.randn(T, d_k))
//! Q = K = X
//! S = Q Kᵀ                          unscaled scores
//! S / sqrt(d_k)                     scaled scores
//! softmax of each, row by row       the two heatmaps
//! std of each score matrix          the two printed numbers
//! ```
//!
//! [`ScalingDemo`] keeps its buffers between runs: moving the d_k slider
//! resizes them within their capacity and extends the seed's cached normal
//! stream, so after the largest size has been seen a step allocates nothing.

use std::fmt;

use ndarray::{ArrayView2, ArrayViewMut2};

use crate::numpy_random::NormalStream;
use crate::{scores, softmax, stats};

/// Largest number of tokens the engine accepts; the page allows fewer.
pub const MAX_TOKENS: usize = 4096;
/// Largest key dimension the engine accepts; the page allows fewer.
pub const MAX_DIM: usize = 65_536;

/// What to compute: the shape of `X` and the seed it is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    /// T, the number of tokens (rows of `X`, size of each heatmap).
    pub tokens: usize,
    /// d_k, the dimension of queries and keys (columns of `X`).
    pub d_k: usize,
    /// The `np.random.seed` value.
    pub seed: u32,
}

impl Params {
    /// The notebook's defaults: T = 10, d_k = 16, seed 42.
    pub const NOTEBOOK: Params = Params {
        tokens: 10,
        d_k: 16,
        seed: 42,
    };

    /// Checks the structural limits of the engine (not the page's UI ranges).
    pub fn validate(self) -> Result<Self, ParamError> {
        if !(1..=MAX_TOKENS).contains(&self.tokens) {
            return Err(ParamError::Tokens(self.tokens));
        }
        if !(1..=MAX_DIM).contains(&self.d_k) {
            return Err(ParamError::Dimension(self.d_k));
        }
        Ok(self)
    }
}

/// Why a [`Params`] was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamError {
    /// T outside `1..=MAX_TOKENS`.
    Tokens(usize),
    /// d_k outside `1..=MAX_DIM`.
    Dimension(usize),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Tokens(t) => write!(f, "T must be between 1 and {MAX_TOKENS}, got {t}"),
            ParamError::Dimension(d) => write!(f, "d_k must be between 1 and {MAX_DIM}, got {d}"),
        }
    }
}

impl std::error::Error for ParamError {}

/// The two numbers the notebook prints.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// `scores_unscaled.std()`, population standard deviation.
    pub std_unscaled: f64,
    /// `scores_scaled.std()`, population standard deviation.
    pub std_scaled: f64,
}

/// The experiment's state: the cached random stream and every matrix of the
/// last run, each stored row-major in a buffer that is reused.
#[derive(Clone, Debug)]
pub struct ScalingDemo {
    stream: NormalStream,
    params: Params,
    summary: Summary,
    x: Vec<f32>,
    scores_unscaled: Vec<f32>,
    scores_scaled: Vec<f32>,
    probs_unscaled: Vec<f32>,
    probs_scaled: Vec<f32>,
}

impl Default for ScalingDemo {
    fn default() -> Self {
        Self::new()
    }
}

impl ScalingDemo {
    /// A demo that has already run once with the notebook's defaults.
    pub fn new() -> Self {
        let mut demo = Self {
            stream: NormalStream::new(Params::NOTEBOOK.seed),
            params: Params::NOTEBOOK,
            summary: Summary {
                std_unscaled: f64::NAN,
                std_scaled: f64::NAN,
            },
            x: Vec::new(),
            scores_unscaled: Vec::new(),
            scores_scaled: Vec::new(),
            probs_unscaled: Vec::new(),
            probs_scaled: Vec::new(),
        };
        demo.compute();
        demo
    }

    /// Runs the experiment for `params`, replacing the previous results.
    pub fn run(&mut self, params: Params) -> Result<Summary, ParamError> {
        let params = params.validate()?;
        if params.seed != self.stream.seed() {
            self.stream = NormalStream::new(params.seed);
        }
        self.params = params;
        self.compute();
        Ok(self.summary)
    }

    fn compute(&mut self) {
        let Params { tokens: t, d_k, .. } = self.params;
        // X is the first T·d_k values of the seed's stream, row-major, rounded
        // once from NumPy's float64 to the engine's float32.
        let drawn = self.stream.prefix(t * d_k);
        self.x.clear();
        self.x.extend(drawn.iter().map(|&v| v as f32));
        for buffer in [
            &mut self.scores_unscaled,
            &mut self.scores_scaled,
            &mut self.probs_unscaled,
            &mut self.probs_scaled,
        ] {
            buffer.resize(t * t, 0.0);
        }

        let x = ArrayView2::from_shape((t, d_k), &self.x).expect("x buffer holds T·d_k values");
        scores::self_scores(x, square_mut(&mut self.scores_unscaled, t));
        scores::scale_into(
            square(&self.scores_unscaled, t),
            scores::inverse_sqrt(d_k),
            square_mut(&mut self.scores_scaled, t),
        );
        softmax::stable_softmax_rows(
            square(&self.scores_unscaled, t),
            square_mut(&mut self.probs_unscaled, t),
        );
        softmax::stable_softmax_rows(square(&self.scores_scaled, t), square_mut(&mut self.probs_scaled, t));
        self.summary = Summary {
            std_unscaled: stats::population_std(&self.scores_unscaled),
            std_scaled: stats::population_std(&self.scores_scaled),
        };
    }

    /// The parameters of the last run.
    pub fn params(&self) -> Params {
        self.params
    }

    /// The statistics of the last run.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// `X` (= Q = K), T × d_k.
    pub fn x(&self) -> ArrayView2<'_, f32> {
        ArrayView2::from_shape((self.params.tokens, self.params.d_k), &self.x).expect("x buffer holds T·d_k values")
    }

    /// `Q Kᵀ`, T × T.
    pub fn scores_unscaled(&self) -> ArrayView2<'_, f32> {
        square(&self.scores_unscaled, self.params.tokens)
    }

    /// `Q Kᵀ / sqrt(d_k)`, T × T.
    pub fn scores_scaled(&self) -> ArrayView2<'_, f32> {
        square(&self.scores_scaled, self.params.tokens)
    }

    /// Row-wise softmax of the unscaled scores, T × T.
    pub fn probabilities_unscaled(&self) -> ArrayView2<'_, f32> {
        square(&self.probs_unscaled, self.params.tokens)
    }

    /// Row-wise softmax of the scaled scores, T × T.
    pub fn probabilities_scaled(&self) -> ArrayView2<'_, f32> {
        square(&self.probs_scaled, self.params.tokens)
    }
}

fn square(buffer: &[f32], t: usize) -> ArrayView2<'_, f32> {
    ArrayView2::from_shape((t, t), buffer).expect("buffer holds T·T values")
}

fn square_mut(buffer: &mut [f32], t: usize) -> ArrayViewMut2<'_, f32> {
    ArrayViewMut2::from_shape((t, t), buffer).expect("buffer holds T·T values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_oversized_shapes() {
        let mut demo = ScalingDemo::new();
        let bad_t = Params {
            tokens: 0,
            ..Params::NOTEBOOK
        };
        assert_eq!(demo.run(bad_t), Err(ParamError::Tokens(0)));
        let bad_d = Params {
            d_k: MAX_DIM + 1,
            ..Params::NOTEBOOK
        };
        assert_eq!(demo.run(bad_d), Err(ParamError::Dimension(MAX_DIM + 1)));
        // A rejected run leaves the previous result in place.
        assert_eq!(demo.params(), Params::NOTEBOOK);
    }

    #[test]
    fn unscaled_std_is_sqrt_dk_times_scaled_std() {
        let mut demo = ScalingDemo::new();
        for d_k in [4, 16, 100, 256] {
            let s = demo
                .run(Params {
                    d_k,
                    ..Params::NOTEBOOK
                })
                .unwrap();
            let ratio = s.std_unscaled / s.std_scaled;
            assert!(
                (ratio / (d_k as f64).sqrt() - 1.0).abs() < 1e-6,
                "d_k {d_k}: ratio {ratio}"
            );
        }
    }

    #[test]
    fn diagonal_holds_squared_norms_and_rows_sum_to_one() {
        let mut demo = ScalingDemo::new();
        demo.run(Params {
            tokens: 12,
            d_k: 64,
            seed: 3,
        })
        .unwrap();
        let x = demo.x();
        for i in 0..12 {
            let norm2: f32 = x.row(i).iter().map(|v| v * v).sum();
            assert!((demo.scores_unscaled()[[i, i]] - norm2).abs() <= 1e-4 * norm2);
        }
        for probs in [demo.probabilities_unscaled(), demo.probabilities_scaled()] {
            for row in probs.rows() {
                assert!((row.sum() - 1.0).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn results_depend_only_on_params_not_on_history() {
        let target = Params {
            tokens: 9,
            d_k: 20,
            seed: 11,
        };
        let mut fresh = ScalingDemo::new();
        fresh.run(target).unwrap();
        let mut used = ScalingDemo::new();
        for d_k in [200, 4, 64] {
            used.run(Params {
                tokens: 30,
                d_k,
                seed: 11,
            })
            .unwrap();
        }
        used.run(Params { seed: 5, ..target }).unwrap();
        used.run(target).unwrap();
        assert_eq!(fresh.probabilities_scaled(), used.probabilities_scaled());
        assert_eq!(fresh.summary(), used.summary());
    }
}
