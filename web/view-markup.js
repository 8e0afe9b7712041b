// The explorer's markup, cloned into each element's shadow root. A fixed
// string of ours: nothing user-supplied is ever part of it (user text only
// ever reaches the page through textContent).

import { PARAMS } from './state.js';
import { fixedMarkup } from './markup.js';

export const MARKUP = fixedMarkup(`
<div class="app loading" part="app">
  <!-- The d_k bar stays in view (sticky) while the heatmaps are: drag and see. -->
  <div class="dk-bar" data-testid="dk-bar">
    <div class="control dk-control" data-control="dk">
      <label for="dk">d<sub>k</sub> <span class="hint">(key dimension)</span></label>
      <button type="button" class="step" id="dk-down" aria-label="d_k one step down">−</button>
      <span class="dk-range">
        <input id="dk" type="range" min="4" max="256" step="4" value="16" aria-label="d_k, the key dimension">
        <span class="dk-ends" aria-hidden="true"><span class="dk-min">4</span><span class="dk-max">256</span></span>
      </span>
      <button type="button" class="step" id="dk-up" aria-label="d_k one step up">+</button>
      <output id="dk-value" for="dk" aria-hidden="true">16</output>
    </div>
    <label class="dk-log" data-control="dk"><input id="dk-log" type="checkbox"> log scale</label>
    <span class="play" data-control="play">
      <button id="play" type="button" aria-pressed="false" aria-label="Play: move d_k from 4 to 256 and back">▶ Play</button>
      <select id="play-speed" aria-label="Play speed">
        <option value="slow">slow</option><option value="normal" selected>normal</option><option value="fast">fast</option>
      </select>
    </span>
    <p class="computing" data-testid="computing" hidden><progress max="1" value="0" aria-label="Computing"></progress>
      <span class="computing-text"></span></p>
  </div>
  <section class="controls" aria-label="Experiment settings">
    <div class="control seed-control" data-control="seed">
      <label for="seed">Seed</label>
      <input id="seed" data-testid="seed" type="text" inputmode="numeric" autocomplete="off"
             spellcheck="false" value="42" aria-describedby="seed-help">
      <button id="new-sample" type="button">New sample</button>
      <p id="seed-help" class="help">Same seed, same matrices as <code>np.random.seed(seed); X = np.random.randn(T, d_k)</code>.</p>
    </div>
    <div class="control sizes-control" data-control="tokens">
      <label for="tokens">Tokens T</label>
      <input id="tokens" type="number" min="2" max="64" step="1" value="10" inputmode="numeric">
      <label class="large-label"><input id="large" type="checkbox" aria-describedby="large-help"> Large sizes</label>
      <p id="large-help" class="help">T up to 1,024 and d<sub>k</sub> up to 4,096; computed in the background, so the page
        stays responsive.</p>
    </div>
    <div class="control reset-control">
      <button id="reset" type="button" aria-describedby="reset-help">Reset</button>
      <span id="reset-help" class="visually-hidden">Back to the view as it opened</span>
    </div>
    <div class="control type-control" data-control="play">
      <label><input id="large-type" type="checkbox"> Large type <span class="hint">(for a projector)</span></label>
    </div>
    <div class="control lang-control" data-control="lang">
      <label for="lang">Language</label>
      <select id="lang">
        <option value="en" lang="en">English</option>
        <option value="es" lang="es">Español</option>
        <option value="zh" lang="zh-Hans">中文（简体）</option>
        <option value="ar" lang="ar" dir="rtl">العربية</option>
      </select>
    </div>
    <details class="more" id="own-text" data-control="text">
      <summary>Your own text, in any language</summary>
      <div class="control text-control">
        <label for="text">Text</label>
        <input id="text" data-testid="text" type="text" dir="auto" autocomplete="off" spellcheck="false"
               placeholder="Type a sentence; empty for random tokens" aria-describedby="text-help">
      </div>
      <p class="presets" data-testid="presets">Try: </p>
      <p id="text-help" class="help">Each word (a word-like segment found by your browser’s <code>Intl.Segmenter</code>;
        spaces, punctuation and emoji are left out) gets a fixed <strong>random</strong> vector made from the word and the
        seed. These are not a trained model’s embeddings: only repeated words are alike, and they attend to each other.
        Growing d<sub>k</sub> adds components to the same vectors. Rows and columns follow the order of the words as
        typed, also for right-to-left scripts. Up to 64 words and 2,000 characters.</p>
    </details>
    <details class="more" id="modes" data-control="modes">
      <summary>Modes: queries and keys, inputs, scale, logits, temperature, softmax, precision</summary>
      <div class="modes-grid">
        <fieldset data-control="qk">
          <legend>Queries and keys</legend>
          <label><input type="radio" name="qk" value="self"> Q = K = X <span class="hint">(the notebook)</span></label>
          <label><input type="radio" name="qk" value="independent"> Independent Q and K <span class="hint">(learned projections)</span></label>
        </fieldset>
        <fieldset data-control="x">
          <legend>Random tokens as d<sub>k</sub> grows</legend>
          <label><input type="radio" name="x" value="fresh"> A fresh draw per d<sub>k</sub> <span class="hint">(the notebook: randn(T, d_k))</span></label>
          <label><input type="radio" name="x" value="keep"> Keep the tokens <span class="hint">(the first d_k columns of one randn(T, 4096))</span></label>
          <p class="hint">A fresh draw changes every token when d<sub>k</sub> moves, so the pattern off the diagonal
            flickers and only the trend means anything; kept tokens gain dimensions and stay themselves.</p>
        </fieldset>
        <fieldset class="inputs-control" data-control="inputs">
          <legend>Inputs: each component of Q and K</legend>
          <label for="dist">Drawn from</label>
          <select id="dist">
            <option value="normal">normal (the notebook)</option>
            <option value="uniform">uniform on [−√3, √3]</option>
            <option value="rademacher">±1 (Rademacher)</option>
          </select>
          <span class="inputs-numbers">
            <label for="sigma">σ</label>
            <input id="sigma" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" size="5" value="1">
            <label for="mu">μ</label>
            <input id="mu" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" size="5" value="0">
          </span>
          <label><input id="ln" type="checkbox"> LayerNorm each row <span class="hint">(mean 0, variance 1)</span></label>
          <span class="inputs-numbers">
            <label for="rho">ρ, each key towards its query</label>
            <input id="rho" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" size="5" value="0"
                   aria-describedby="rho-help">
          </span>
          <p id="rho-help" class="hint">With independent Q and K: K = m + ρ·(Q − m) + √(1 − ρ²)·(Z − m), m the rows'
            mean. All three distributions have mean 0 and variance 1 before σ and μ.</p>
        </fieldset>
        <fieldset data-control="score">
          <legend>Score function</legend>
          <label><input type="radio" name="score" value="dot"> Dot product q · k</label>
          <label><input type="radio" name="score" value="cosine"> Cosine similarity <span class="hint">(bounded, ±1)</span></label>
          <p class="hint" data-testid="why-dot">Why dot products: one matrix product Q Kᵀ scores every pair at once, and
            q · k = |q| |k| cos θ grows with both how well q and k align and how long they are. Cosine keeps only the alignment.</p>
        </fieldset>
        <fieldset data-control="scale">
          <legend>Scale of the right-hand panel</legend>
          <label for="scale-rule" class="visually-hidden">Scale rule</label>
          <select id="scale-rule">
            <option value="sqrt">1/√d_k (default)</option>
            <option value="dk">1/d_k</option>
            <option value="none">none (1)</option>
            <option value="ssmax">s · ln n / √d_k (SSMax)</option>
            <option value="custom">custom factor…</option>
          </select>
          <label class="custom-scale" for="scale-custom">factor
            <input id="scale-custom" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" size="7" value="0.25">
          </label>
          <label class="ssmax-s" for="ssmax-s">s
            <input id="ssmax-s" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" size="5" value="1"
                   aria-describedby="ssmax-help">
          </label>
          <p id="ssmax-help" class="hint ssmax-s">Scalable-Softmax (Nakanishi 2025): n is the number of keys a row sees.</p>
        </fieldset>
        <fieldset class="logits-control" data-control="logits">
          <legend>Logits: keeping them in range</legend>
          <label for="qknorm">QK-norm</label>
          <select id="qknorm">
            <option value="none">none (the 2017 recipe)</option>
            <option value="l2">L2, with a gain (Henry et al. 2020)</option>
            <option value="layernorm">LayerNorm (ViT-22B, OLMo 2)</option>
          </select>
          <span class="inputs-numbers">
            <label for="gain">gain g</label>
            <input id="gain" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" size="5" value="1">
            <label for="cap">soft cap c</label>
            <input id="cap" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" size="5" value="0"
                   aria-describedby="cap-help">
          </span>
          <p id="cap-help" class="hint">In this order: QK-norm, g · Q Kᵀ, the scale, c · tanh(z / c) on each panel
            (0: no cap; Gemma 2 uses 50), τ, softmax.</p>
        </fieldset>
        <fieldset class="mask-control" data-control="mask">
          <legend>Mask</legend>
          <label for="mask" class="visually-hidden">Mask</label>
          <select id="mask">
            <option value="none">none</option>
            <option value="causal">causal (each query sees the keys up to itself)</option>
            <option value="padding">padding</option>
          </select>
          <span class="inputs-numbers">
            <label for="pad">padded keys, from the first</label>
            <input id="pad" type="text" inputmode="numeric" autocomplete="off" spellcheck="false" size="5" value="0">
          </span>
          <label for="fill">A row that sees no key</label>
          <select id="fill">
            <option value="sdpa">PyTorch SDPA: zeros</option>
            <option value="inf">−∞ fill: NaN</option>
            <option value="min">lowest-value fill: uniform</option>
          </select>
          <p class="hint">Masked cells are drawn as masked, not as weight 0; the statistics are of the cells a mask leaves.</p>
        </fieldset>
        <fieldset data-control="softmax">
          <legend>Softmax</legend>
          <label><input type="radio" name="softmax" value="stable"> Stable <span class="hint">(subtract the row maximum)</span></label>
          <label><input type="radio" name="softmax" value="naive"> Naive <span class="hint">(exponentiate directly)</span></label>
        </fieldset>
        <fieldset class="tau-control" data-control="temperature">
          <legend>Temperature, both panels: softmax(s / τ)</legend>
          <div class="tau-range">
            <span class="tau-end" aria-hidden="true">${PARAMS.tau.min}</span>
            <input id="tau" type="range" min="0" max="1000" step="10" value="500" aria-label="Temperature τ (logarithmic scale)" aria-valuetext="τ = 1">
            <span class="tau-end" aria-hidden="true">${PARAMS.tau.max}</span>
          </div>
          <output id="tau-value" for="tau">τ = 1</output>
        </fieldset>
        <fieldset data-control="precision">
          <legend>Number format</legend>
          <label for="precision" class="visually-hidden">Precision</label>
          <select id="precision">
            <option value="f32">float32</option>
            <option value="bf16">bfloat16</option>
            <option value="f16">float16 (IEEE half)</option>
          </select>
          <label for="cmap" class="cmap-label" data-control="cmap">Colour map
            <select id="cmap">
              <option value="viridis">viridis</option>
              <option value="cividis">cividis</option>
              <option value="grey">grey</option>
            </select>
          </label>
          <label for="shade" class="shade-label" data-control="shade">Colour scale
            <select id="shade">
              <option value="linear">weight, 0 to 1</option>
              <option value="row">÷ each row’s largest</option>
              <option value="log">log, 10⁻⁴ to 1</option>
            </select>
          </label>
        </fieldset>
      </div>
      <p class="pytorch-title" data-control="pytorch">The same scaled panel in PyTorch (the weights the heatmap shows, then the attention output):</p>
      <pre class="pytorch" data-control="pytorch" tabindex="0" aria-label="PyTorch code"><code data-testid="pytorch"></code></pre>
    </details>
  </section>

  <p id="notice" class="notice" data-testid="notice" role="status" aria-live="polite" hidden></p>
  <p class="visually-hidden" id="announce" data-testid="announce" role="status" aria-live="polite"></p>
  <p class="visually-hidden" id="cell-announce" data-testid="cell-announce" aria-live="polite"></p>
  <div id="status" class="status" role="alert">Loading the WebAssembly engine…</div>
  <p class="case" data-testid="case" data-control="case"><strong class="case-title"></strong> <span class="case-text"></span>
    <button type="button" class="case-try" data-testid="case-try" data-control="qk modes"></button>
    <span class="case-modes" data-testid="modes"></span></p>

  <div class="tooltip" role="tooltip" id="cell-tooltip" data-testid="tooltip" hidden></div>

  <section class="panels" aria-label="Attention weights">
    <!-- One panel per score matrix; view-elements.js clones this for "unscaled" and "scaled". -->
    <template id="panel-template">
      <figure class="panel">
        <figcaption>
          <h2 class="panel-title"></h2>
          <p class="formula"></p>
        </figcaption>
        <div class="panel-body">
        <div class="heatmap">
          <span class="axis-title x">keys →</span>
          <span class="axis-title y">queries ↓</span>
          <button type="button" class="axis-title grad" popovertarget="tip-gradient" aria-label="∇: the gradient signal of each row">∇</button>
          <div class="ticks x" aria-hidden="true"></div>
          <div class="ticks y" aria-hidden="true"></div>
          <div class="plot">
            <canvas class="cells" role="img" tabindex="0" width="10" height="10" aria-describedby="cell-tooltip"></canvas>
            <div class="row-mark" aria-hidden="true" hidden></div>
            <div class="cell-row" aria-hidden="true" hidden></div>
            <div class="cell-col" aria-hidden="true" hidden></div>
            <canvas class="hatch" aria-hidden="true" width="0" height="0" hidden></canvas>
          </div>
          <canvas class="grad-bars" aria-hidden="true" width="16" height="10"></canvas>
        </div>
        <dl class="readout">
          <div><dt>std of scores</dt><dd class="std">–</dd></div>
          <div><dt>d<sub>k</sub></dt><dd class="dk-readout">16</dd></div>
        </dl>
        <p class="alarm" role="status" hidden></p>
        <button type="button" class="table-toggle" aria-expanded="false">Show as table</button>
        <div class="cell-table" tabindex="0" role="region" hidden></div>
        <details class="metrics" data-control="metrics">
          <summary><span class="metrics-summary">Saturation and gradient</span></summary>
          <dl>
            <div class="split"><dt>diagonal scores <button type="button" class="tip" popovertarget="tip-split" aria-label="About diagonal scores">?</button></dt>
              <dd class="m-diagonal"></dd></div>
            <div class="split"><dt>off-diagonal scores</dt><dd class="m-off"></dd></div>
            <div><dt>largest weight per row <button type="button" class="tip" popovertarget="tip-max" aria-label="About the largest weight">?</button></dt>
              <dd class="m-max"></dd></div>
            <div><dt>entropy per row <button type="button" class="tip" popovertarget="tip-entropy" aria-label="About entropy">?</button></dt>
              <dd class="m-entropy"></dd></div>
            <div><dt>effective tokens <button type="button" class="tip" popovertarget="tip-effective" aria-label="About effective tokens">?</button></dt>
              <dd class="m-effective"></dd></div>
            <div><dt>gradient signal <button type="button" class="tip" popovertarget="tip-gradient" aria-label="About the gradient signal">?</button></dt>
              <dd class="m-gradient"></dd></div>
            <div><dt>saturated rows (&gt; 0.99) <button type="button" class="tip" popovertarget="tip-saturated" aria-label="About saturated rows">?</button></dt>
              <dd class="m-saturated"></dd></div>
          </dl>
        </details>
        </div>
      </figure>
    </template>

    <figure class="legend">
      <figcaption data-testid="colorbar-caption">attention weight</figcaption>
      <div class="bar">
        <span class="uniform-mark" data-testid="uniform-mark" aria-hidden="true"></span>
        <canvas id="colorbar" width="1" height="256" role="img" aria-label="Colour scale"></canvas>
        <ol class="bar-ticks" data-testid="colorbar-ticks" aria-hidden="true">
          <li></li><li></li><li></li><li></li><li></li>
        </ol>
      </div>
      <p class="legend-item" data-testid="nan-legend"><canvas id="nan-swatch" width="8" height="8" aria-hidden="true"></canvas>
        NaN: softmax overflowed</p>
      <p class="legend-item" data-testid="mask-legend" id="mask-legend" hidden><span class="masked-swatch" aria-hidden="true"></span>
        masked: a key the query does not see</p>
      <p class="legend-item" data-testid="bars-legend"><span class="bar-swatch" aria-hidden="true"></span> ∇ bars: gradient signal per row, empty for a one-hot row, full at 0.5, the most any row passes (two keys tied)</p>
      <p class="legend-item order-note">Rows and columns: tokens in the order they were typed (logical order), top to bottom and left to right, whatever the script’s direction.</p>
    </figure>
  </section>

  <p class="ratio" data-control="ratio">
    unscaled std ÷ √d<sub>k</sub> = <strong data-testid="unscaled-per-root">–</strong>;
    scaled std = <strong data-testid="scaled-std">–</strong>;
    the scaled panel multiplies every score by <strong data-testid="scale-factor">–</strong>;
    √d<sub>k</sub> = <strong data-testid="sqrt-dk">–</strong>.
    <span data-testid="readouts-text"></span>
  </p>

  <div class="share" data-control="share">
    <button id="copy-link" type="button">Copy link</button>
    <button id="copy-embed" type="button">Copy embed code</button>
    <span class="export" data-control="export">
      <button id="export-png-unscaled" type="button">PNG: unscaled</button>
      <button id="export-png-scaled" type="button">PNG: scaled</button>
      <button id="export-csv" type="button">Matrices (CSV)</button>
      <button id="export-json" type="button">State (JSON)</button>
      <button id="copy-numpy" type="button">Copy NumPy snippet</button>
      <button id="make-lesson" type="button" aria-expanded="false">Make a lesson</button>
    </span>
    <output id="share-status" data-testid="share-status" aria-live="polite"></output>
    <textarea id="share-text" data-testid="share-text" readonly rows="5" hidden aria-label="Text to copy"></textarea>
  </div>

  <details class="explore" id="curves" data-control="curves">
    <summary>How magnitudes grow with d<sub>k</sub>: curves over many samples, score histograms, one row’s weights</summary>
    <div class="curves-controls">
      <label for="trials">Trials per d<sub>k</sub>
        <input id="trials" type="number" min="1" max="256" step="1" value="32" inputmode="numeric"></label>
      <fieldset class="inline">
        <legend>d<sub>k</sub> axis</legend>
        <label><input type="radio" name="xscale" value="linear"> linear</label>
        <label><input type="radio" name="xscale" value="log"> log</label>
      </fieldset>
      <button id="show-tables" type="button" aria-expanded="false" aria-controls="curves-tables">Show as tables</button>
      <button id="download-csv" type="button">Download curves (CSV)</button>
      <span class="sweep-progress" data-testid="sweep-progress" role="status"></span>
    </div>
    <p class="help">Each curve is the mean over the trials (trial <em>i</em> uses seed + <em>i</em>, so trial 0 is the view above);
      the shaded band runs from the 10th to the 90th percentile. Dotted lines are what theory predicts, where it is simple.
      Click a chart, or focus it and use the arrow keys, to set d<sub>k</sub>.</p>
    <div class="chart-legend-shared" aria-hidden="true">
      <span><i class="swatch unscaled"></i> unscaled</span>
      <span><i class="swatch scaled"></i> scaled</span>
      <span><i class="swatch theory"></i> theory</span>
    </div>
    <div class="charts">
      <figure class="chart" data-chart="std"><figcaption>Spread of the scores (std)</figcaption>
        <canvas tabindex="0" role="slider" aria-label="d_k, on the spread chart" aria-valuemin="4" aria-valuemax="256" aria-valuenow="16"></canvas>
        <p class="chart-legend"><span class="theory">theory (independent, uncorrelated Q, K): σ·√((σ² + 2μ²)·d_k), √d_k for the notebook's inputs; times the scale when scaled</span></p></figure>
      <figure class="chart" data-chart="diagonal"><figcaption>Diagonal scores q_i · k_i (|x|² when Q = K)</figcaption>
        <canvas tabindex="0" role="slider" aria-label="d_k, on the diagonal chart" aria-valuemin="4" aria-valuemax="256" aria-valuenow="16"></canvas>
        <p class="chart-legend"><span class="theory">theory: (σ² + μ²)·d_k with Q = K, (ρσ² + μ²)·d_k with correlated keys; times the scale when scaled</span></p></figure>
      <figure class="chart" data-chart="max"><figcaption>Largest weight per row (mean)</figcaption>
        <canvas tabindex="0" role="slider" aria-label="d_k, on the largest-weight chart" aria-valuemin="4" aria-valuemax="256" aria-valuenow="16"></canvas>
        <p class="chart-legend"><span class="theory">bound with a cap c: 1/(1 + (n − 1)·e^(−2c/τ)) for a row of n keys</span></p></figure>
      <figure class="chart" data-chart="entropy"><figcaption>Entropy ÷ ln T (mean)</figcaption>
        <canvas tabindex="0" role="slider" aria-label="d_k, on the entropy chart" aria-valuemin="4" aria-valuemax="256" aria-valuenow="16"></canvas>
        <p class="chart-legend"><span class="theory"></span></p></figure>
      <figure class="chart" data-chart="gradient"><figcaption>Gradient signal ‖diag(p) − ppᵀ‖ (mean)</figcaption>
        <canvas tabindex="0" role="slider" aria-label="d_k, on the gradient chart" aria-valuemin="4" aria-valuemax="256" aria-valuenow="16"></canvas>
        <p class="chart-legend"><span class="theory"></span></p></figure>
      <figure class="chart" data-chart="entropy-t" hidden><figcaption>Entropy ÷ ln n against T, at this d<sub>k</sub> (mean)</figcaption>
        <canvas role="img"></canvas>
        <p class="chart-legend"><span><i class="swatch unscaled"></i> plain softmax, 1/√d_k</span>
          <span><i class="swatch scaled"></i> SSMax</span>
          <span><i class="swatch theory"></i> large T: 1 − σ²/(2 ln T), σ the logits' std</span></p></figure>
    </div>
    <h3>Distributions at d<sub>k</sub> = <span class="dk-now">16</span></h3>
    <p class="hint">Both histograms have the same axes, so the scaled scores' narrower spread is seen, not read.</p>
    <div class="charts">
      <figure class="chart" data-chart="hist-unscaled"><figcaption>Unscaled scores (on top of each bar, in the text colour: the diagonal)</figcaption>
        <canvas role="img" aria-label="Histogram of the unscaled scores; the data is in the tables."></canvas></figure>
      <figure class="chart" data-chart="hist-scaled"><figcaption>Scaled scores (on top of each bar, in the text colour: the diagonal)</figcaption>
        <canvas role="img" aria-label="Histogram of the scaled scores; the data is in the tables."></canvas></figure>
      <figure class="chart" data-chart="row"><figcaption>Weights of query row <span class="row-title">t0</span>
        (pick a row: click a heatmap, or focus it and use ↑ ↓)</figcaption>
        <canvas role="img" data-testid="row-bars" aria-label="Bars of one query row's weights; the data is in the tables."></canvas></figure>
    </div>
    <p class="downloads">
      <button id="download-histograms" type="button">Download histograms (CSV)</button>
      <button id="download-row" type="button">Download row weights (CSV)</button>
    </p>
    <div class="curves-tables" id="curves-tables" tabindex="0" role="region" aria-label="Tables of the curves, histograms and row weights" hidden></div>
  </details>

  <div class="tips">
    <div id="tip-split" popover>With Q = K, the diagonal score of a token with itself is |x|² ≈ d<sub>k</sub>; the
      off-diagonal ones are centred on 0. One whole-matrix std mixes the two.</div>
    <div id="tip-max" popover>The biggest attention weight in each row: mean and smallest over rows. Near 1 means
      each query attends to a single key.</div>
    <div id="tip-entropy" popover>−Σ p ln p of each row, averaged over rows, in nats and as a share of ln T
      (100 % for a uniform row, 0 % for a one-hot row).</div>
    <div id="tip-effective" popover>exp(entropy) of each row, averaged over rows: how many keys a query spreads its
      weight over (T for a uniform row, 1 for a one-hot row).</div>
    <div id="tip-gradient" popover>‖diag(p) − p pᵀ‖, the size of softmax's Jacobian, averaged over rows: how much
      gradient reaches the scores. 0 for a one-hot row, √(T−1)/T for a uniform row (0.3 at T = 10), and at most
      0.5, for a row split evenly between two keys.</div>
    <div id="tip-saturated" popover>Rows whose largest weight is above 0.99.</div>
  </div>

</div>
`);
