//! The rows of Q and K before any scoring: what each component is drawn
//! from, its spread and offset, LayerNorm'ed rows, and keys that lean
//! towards their queries.
//!
//! Each is a NumPy recipe with the legacy API after `np.random.seed(seed)`,
//! computed in float64 and rounded once to the number format, in this order:
//!
//! ```text
//! V = randn(T, d)                      | uniform(−√3, √3, (T, d))
//!   | where(random_sample((T, d)) < 0.5, −1.0, 1.0)     the distribution, mean 0, variance 1
//! X = mu + sigma * V                                    spread σ and offset μ
//! X = (X − mean) / sqrt(var + 1e-5), by rows            LayerNorm, no gain (`ln`)
//! K = m + rho * (Q − m) + sqrt(1 − rho * rho) * (Z − m)   with independent Q and K, Z drawn after Q
//! ```
//!
//! `m` is the components' mean (μ, or 0 after LayerNorm): the keys' deviations are correlated with the
//! queries' and their mean stays m. With μ = 0 this is `ρ·Q + √(1−ρ²)·Z`; mixing the raw rows instead
//! would move the keys' mean to (ρ + √(1−ρ²))·μ.
//!
//! With the defaults (normal, σ = 1, μ = 0, no LayerNorm, ρ = 0) every step
//! is the identity and the draw is the notebook's `randn`, bit for bit.

use crate::numpy_random::Draws;

/// The epsilon of `torch.nn.functional.layer_norm` (and `nn.LayerNorm`).
pub const LAYER_NORM_EPS: f64 = 1e-5;

/// The distribution of each component of a token, before σ and μ: all three
/// have mean 0 and variance 1, so `q · k` of independent rows has variance
/// d_k in each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Distribution {
    /// `np.random.randn`, as the notebook.
    #[default]
    Normal,
    /// `np.random.uniform(-√3, √3)`: bounded, the same variance.
    Uniform,
    /// ±1 with equal odds (`random_sample() < 0.5` gives −1): the same variance, no tails at all.
    Rademacher,
}

named_enum!(Distribution, "distribution", Normal => "normal", Uniform => "uniform", Rademacher => "rademacher");

impl Distribution {
    /// What the seed's stream must hold for this distribution.
    pub fn draws(self) -> Draws {
        match self {
            Distribution::Normal => Draws::Normal,
            Distribution::Uniform | Distribution::Rademacher => Draws::Unit,
        }
    }

    /// One component, from one value of the stream (a normal, or a double in `[0, 1)`).
    pub fn component(self, drawn: f64) -> f64 {
        match self {
            Distribution::Normal => drawn,
            Distribution::Uniform => {
                // NumPy's `uniform(low, high)`: low + (high − low) · random_sample().
                let (low, high) = (-(3f64.sqrt()), 3f64.sqrt());
                low + (high - low) * drawn
            }
            Distribution::Rademacher => {
                if drawn < 0.5 {
                    -1.0
                } else {
                    1.0
                }
            }
        }
    }
}

/// How the rows of Q and K are made from the seed's stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Inputs {
    /// What each component is drawn from.
    pub distribution: Distribution,
    /// σ, the components' standard deviation (> 0).
    pub sigma: f64,
    /// μ, the components' mean: every score grows by about μ²·d_k.
    pub mu: f64,
    /// Each row normalised to mean 0 and variance 1 (LayerNorm without gain),
    /// as a transformer's input to its projections is.
    pub layer_norm: bool,
    /// ρ in `[0, 1]`: with independent Q and K, each key's deviation from
    /// the mean is `ρ·(its query's) + √(1−ρ²)·(its own)`, so a key's score
    /// with its own query leads the others by about ρ·σ²·d_k.
    pub rho: f64,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs::STANDARD
    }
}

impl Inputs {
    /// The notebook's inputs: standard normal components, nothing else.
    pub const STANDARD: Inputs = Inputs {
        distribution: Distribution::Normal,
        sigma: 1.0,
        mu: 0.0,
        layer_norm: false,
        rho: 0.0,
    };

    /// Whether the rows are the stream's values as drawn (the fast path).
    pub fn as_drawn(self) -> bool {
        self == Inputs::STANDARD
    }

    /// Whether σ, μ and ρ are values the engine can use.
    pub fn is_valid(self) -> bool {
        self.sigma.is_finite() && self.sigma > 0.0 && self.mu.is_finite() && (0.0..=1.0).contains(&self.rho)
    }

    /// Turns rows of drawn values (`d` per row) into tokens, in place:
    /// the distribution, then σ and μ, then LayerNorm.
    pub fn make_rows(self, values: &mut [f64], d: usize) {
        for v in values.iter_mut() {
            *v = self.mu + self.sigma * self.distribution.component(*v);
        }
        if self.layer_norm {
            values.chunks_exact_mut(d).for_each(layer_norm);
        }
    }

    /// Mixes keys `z` towards queries `q`, in place, around the rows' mean
    /// m (μ, or 0 after LayerNorm): `z ← m + ρ·(q − m) + √(1−ρ²)·(z − m)`.
    pub fn correlate(self, q: &[f64], z: &mut [f64]) {
        if self.rho == 0.0 {
            return;
        }
        let m = if self.layer_norm { 0.0 } else { self.mu };
        let rest = (1.0 - self.rho * self.rho).sqrt();
        for (k, &q) in z.iter_mut().zip(q) {
            *k = m + self.rho * (q - m) + rest * (*k - m);
        }
    }
}

/// One row to mean 0 and (population) variance 1, with LayerNorm's epsilon
/// (also QK-norm's, logits.rs).
pub(crate) fn layer_norm(row: &mut [f64]) {
    let n = row.len() as f64;
    let mean = row.iter().sum::<f64>() / n;
    let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    let denominator = (var + LAYER_NORM_EPS).sqrt();
    for v in row.iter_mut() {
        *v = (*v - mean) / denominator;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_distribution_has_mean_0_and_variance_1() {
        let mut rng = crate::numpy_random::LegacyRandom::seed(3);
        for dist in Distribution::ALL {
            let n = 200_000;
            let xs: Vec<f64> = (0..n)
                .map(|_| {
                    let v = match dist.draws() {
                        Draws::Normal => rng.next_gauss(),
                        Draws::Unit => rng.next_double(),
                    };
                    dist.component(v)
                })
                .collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
            assert!(mean.abs() < 0.01, "{dist}: mean {mean}");
            assert!((var - 1.0).abs() < 0.01, "{dist}: variance {var}");
        }
        assert_eq!(Distribution::Rademacher.component(0.4999), -1.0);
        assert_eq!(Distribution::Rademacher.component(0.5), 1.0);
        assert_eq!(Distribution::Uniform.component(0.0), -(3f64.sqrt()));
    }

    #[test]
    fn the_standard_inputs_are_the_draw_as_it_is() {
        assert!(Inputs::STANDARD.as_drawn());
        assert!(
            !Inputs {
                mu: 1e-300,
                ..Inputs::STANDARD
            }
            .as_drawn()
        );
        // And their steps would change no value (only the sign of a zero).
        let drawn = [0.3, -1.7, 2.5e-8, -0.0, 4.0];
        let mut rows = drawn;
        Inputs::STANDARD.make_rows(&mut rows, 5);
        assert_eq!(rows, drawn);
    }

    #[test]
    fn layer_norm_rows_have_mean_0_and_variance_near_1() {
        let inputs = Inputs {
            layer_norm: true,
            mu: 3.0,
            sigma: 2.0,
            ..Inputs::STANDARD
        };
        let mut rows = [1.0, 2.0, 3.0, 4.0, -1.0, 0.5, 0.25, 8.0];
        inputs.make_rows(&mut rows, 4);
        for row in rows.chunks(4) {
            let mean = row.iter().sum::<f64>() / 4.0;
            let var = row.iter().map(|v| v * v).sum::<f64>() / 4.0;
            assert!(mean.abs() < 1e-12);
            // var / (var + eps): within eps / var of 1.
            assert!((var - 1.0).abs() < 1e-5, "{var}");
        }
    }

    #[test]
    fn correlated_keys_lean_towards_their_queries() {
        let q = [1.0, -2.0];
        let mut z = [0.5, 0.5];
        Inputs {
            rho: 0.6,
            ..Inputs::STANDARD
        }
        .correlate(&q, &mut z);
        assert_eq!(z, [0.6 * 1.0 + 0.8 * 0.5, 0.6 * -2.0 + 0.8 * 0.5]);
        let mut same = [0.5, 0.5];
        Inputs {
            rho: 1.0,
            ..Inputs::STANDARD
        }
        .correlate(&q, &mut same);
        assert_eq!(same, q);
        // Around the mean μ: the keys keep it.
        let mut offset = [3.5, 3.5];
        Inputs {
            rho: 0.6,
            mu: 3.0,
            ..Inputs::STANDARD
        }
        .correlate(&[4.0, 1.0], &mut offset);
        assert_eq!(offset, [3.0 + 0.6 * 1.0 + 0.8 * 0.5, 3.0 + 0.6 * -2.0 + 0.8 * 0.5]);
    }
}
