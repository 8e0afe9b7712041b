//! A run split into bands of rows over several engines gives one engine's bits.
use super::*;
use crate::config::{LogitControl, QkNorm, QkSource, ScaleRule};
use crate::mask::{Mask, MaskFill, MaskKind};
use crate::softmax::SoftmaxKind;

/// What a worker sends for its band: both panels' rows, copied.
fn band_panels(engine: &Experiment, rows: &Range<usize>, overflows: [usize; 2]) -> [BandPanel; 2] {
    [Panel::Unscaled, Panel::Scaled].map(|panel| {
        let view = engine.band(panel, rows.clone());
        BandPanel {
            scores: view.scores.to_vec(),
            probs: view.probs.to_vec(),
            gradients: view.gradients.to_vec(),
            rows: view.rows.to_vec(),
            exp_overflows: overflows[panel as usize],
        }
    })
}

/// A run split into `count` bands, each finished by an engine of its
/// own (given the score rows of each band above it, as the page passes
/// them on), and adopted by a page engine in the order `order` of the bands.
fn split_run(config: Config, count: usize, order: &[usize]) -> Experiment {
    let mut page = Experiment::new();
    page.start(config).unwrap();
    let bands = page.bands(count);
    let t = config.tokens;
    let mut above: Vec<(usize, Vec<f32>)> = Vec::new();
    let mut parts = Vec::new();
    for rows in &bands {
        let mut engine = Experiment::new();
        engine.prepare(config).unwrap();
        let band = engine.score_band(rows.clone()).unwrap().to_vec();
        if config.qk != QkSource::Independent {
            for (first, rows_above) in &above {
                engine.adopt_score_rows(*first, rows_above).unwrap();
            }
        }
        above.push((rows.start, band.clone()));
        let overflows = engine.finish_band(rows.clone()).unwrap();
        parts.push((rows.start, band_panels(&engine, rows, overflows)));
        if rows.start == 0 {
            let q = engine.q().iter().copied().collect();
            let k = match config.qk {
                QkSource::Independent => engine.k().iter().copied().collect(),
                _ => Vec::new(),
            };
            parts.push((
                usize::MAX,
                [
                    BandPanel {
                        scores: q,
                        ..BandPanel::default()
                    },
                    BandPanel {
                        scores: k,
                        ..BandPanel::default()
                    },
                ],
            ));
        }
    }
    let [q, k] = parts
        .iter()
        .find(|(first, _)| *first == usize::MAX)
        .unwrap()
        .1
        .clone()
        .map(|p| p.scores);
    let bands: Vec<_> = parts.into_iter().filter(|(first, _)| *first != usize::MAX).collect();
    assert_eq!(page.adopt_bands(q.clone(), k.clone()), Err(BandError::Missing));
    for &i in order {
        let (first, [unscaled, scaled]) = bands[i].clone();
        page.adopt_band(Panel::Scaled, first, scaled).unwrap();
        page.adopt_band(Panel::Unscaled, first, unscaled).unwrap();
    }
    assert_eq!(bands.iter().map(|(_, p)| p[0].gradients.len()).sum::<usize>(), t);
    page.adopt_bands(q, k).unwrap();
    page
}

/// Both Q/K cases, rounded formats, logit controls, masks, SSMax, a
/// temperature and the naive softmax's overflows.
fn band_cases() -> Vec<Config> {
    // With a gain and a cap each panel's logits come from raw scores kept aside.
    let capped = LogitControl {
        qk_norm: QkNorm::L2,
        gain: 8.0,
        cap: 5.0,
    };
    let normed = LogitControl {
        qk_norm: QkNorm::LayerNorm,
        gain: 1.0,
        cap: 3.0,
    };
    let causal = Mask {
        kind: MaskKind::Causal,
        pad: 0,
        fill: MaskFill::Sdpa,
    };
    let padded = Mask {
        kind: MaskKind::Padding,
        pad: 3,
        fill: MaskFill::Lowest,
    };
    let plain = Config {
        tokens: 37,
        d_k: 300,
        ..Config::NOTEBOOK
    };
    vec![
        plain,
        Config {
            qk: QkSource::Independent,
            ..plain
        },
        Config {
            precision: Precision::Bf16,
            ..plain
        },
        Config {
            qk: QkSource::Independent,
            logits: capped,
            ..plain
        },
        Config {
            precision: Precision::Bf16,
            logits: normed,
            mask: causal,
            ..plain
        },
        // Rows 0..6 see no key (NaN rows), at a T where 4 bands leave some empty.
        Config {
            tokens: 9,
            mask: Mask {
                kind: MaskKind::Causal,
                pad: 6,
                fill: MaskFill::NegInf,
            },
            ..plain
        },
        Config {
            mask: padded,
            scale: ScaleRule::Scalable(0.4),
            temperature: 0.3,
            ..plain
        },
        Config {
            softmax: SoftmaxKind::Naive,
            d_k: 4000,
            ..plain
        },
        Config {
            qk: QkSource::Independent,
            precision: Precision::F16,
            mask: causal,
            ..plain
        },
    ]
}

/// Bands finished by engines of their own, adopted in any order: the
/// same bits as one engine's run, in every case.
#[test]
fn bands_from_several_engines_equal_one_run() {
    let fingerprint = super::super::tests::fingerprint;
    for config in band_cases() {
        let mut one = Experiment::new();
        one.run(config).unwrap();
        for (count, order) in [
            (2, &[1, 0][..]),
            (3, &[2, 0, 1][..]),
            (4, &[3, 1, 0, 2][..]),
            (1, &[0][..]),
        ] {
            let page = split_run(config, count, order);
            assert_eq!(fingerprint(&page), fingerprint(&one), "{config:?} in {count} bands");
        }
    }
    // The naive softmax at d_k = 4000 overflows, and the count survives the split.
    let naive = band_cases()[7];
    assert_eq!((naive.softmax, naive.d_k), (SoftmaxKind::Naive, 4000));
    let mut one = Experiment::new();
    one.run(naive).unwrap();
    assert!(one.report(Panel::Unscaled).exp_overflows > 0);
    assert_eq!(
        split_run(naive, 2, &[0, 1]).report(Panel::Unscaled).exp_overflows,
        one.report(Panel::Unscaled).exp_overflows
    );
}

#[test]
fn bands_split_the_work_evenly_on_kernel_rows() {
    let mut e = Experiment::new();
    let at = |t, d_k, qk| Config {
        tokens: t,
        d_k,
        qk,
        ..Config::NOTEBOOK
    };
    e.start(at(100, 64, QkSource::SelfAttention)).unwrap();
    assert_eq!(e.bands(1), vec![0..100]);
    e.start(at(100, 64, QkSource::Independent)).unwrap();
    assert_eq!(e.bands(2), vec![0..52, 52..100]);
    // Upper triangle: the top rows are longer, so the first band is
    // shorter, T (1 − 1/√2) ≈ 0.29 T.
    e.start(at(1024, 4096, QkSource::SelfAttention)).unwrap();
    let bands = e.bands(2);
    assert_eq!(bands, vec![0..300, 300..1024]);
    let work = |r: &Range<usize>| r.clone().map(|i| 1024 - i).sum::<usize>() as f64;
    assert!((work(&bands[0]) / work(&bands[1]) - 1.0).abs() < 0.02);
    let four = e.bands(4);
    assert_eq!(four.len(), 4);
    assert!(four.iter().all(|r| r.start % 4 == 0 && r.start <= r.end));
    assert_eq!(four.last().unwrap().end, 1024);
}

#[test]
fn bands_need_a_prepared_run_that_fits() {
    let mut e = Experiment::new();
    assert_eq!(e.score_band(0..1).map(<[f32]>::len), Err(BandError::NotPrepared));
    assert_eq!(e.finish_band(0..1), Err(BandError::NotPrepared));
    let config = Config {
        tokens: 8,
        d_k: 4,
        ..Config::NOTEBOOK
    };
    e.prepare(config).unwrap();
    assert_eq!(e.score_band(4..9).map(<[f32]>::len), Err(BandError::Shape));
    assert_eq!(e.adopt_score_rows(6, &[0.0; 24]), Err(BandError::Shape));
    assert_eq!(e.adopt_score_rows(0, &[0.0; 7]), Err(BandError::Shape));
    assert_eq!(e.score_band(4..8).map(<[f32]>::len), Ok(32));
    // A band that does not fit is refused, and the page's run stays open.
    let mut page = Experiment::new();
    page.start(config).unwrap();
    let short = BandPanel {
        scores: vec![0.0; 16],
        probs: vec![0.0; 16],
        gradients: vec![0.0; 2],
        rows: vec![RowSaturation::Empty { nonfinite: 0 }; 2],
        exp_overflows: 0,
    };
    assert_eq!(page.adopt_band(Panel::Scaled, 7, short.clone()), Err(BandError::Shape));
    assert_eq!(
        page.adopt_band(
            Panel::Scaled,
            6,
            BandPanel {
                probs: vec![0.0; 8],
                ..short.clone()
            }
        ),
        Err(BandError::Shape)
    );
    page.adopt_band(Panel::Scaled, 6, short.clone()).unwrap();
    // A row twice is refused, and so is an end with rows missing.
    let one_row = BandPanel {
        scores: vec![0.0; 8],
        probs: vec![0.0; 8],
        gradients: vec![0.0; 1],
        rows: vec![RowSaturation::Empty { nonfinite: 0 }],
        exp_overflows: 0,
    };
    assert_eq!(page.adopt_band(Panel::Scaled, 7, one_row), Err(BandError::Missing));
    assert_eq!(page.adopt_bands(vec![0.0; 32], Vec::new()), Err(BandError::Missing));
    assert!(!page.is_done());
    // Without a run in progress there is nothing to adopt bands for.
    let mut done = Experiment::new();
    assert_eq!(done.adopt_band(Panel::Scaled, 6, short), Err(BandError::NoRun));
    assert_eq!(done.adopt_bands(vec![0.0; 32], Vec::new()), Err(BandError::NoRun));
}
