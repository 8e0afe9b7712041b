// The charts' words without a browser: a canvas that records what is written
// on it, so the tick labels' language can be checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** A canvas whose context records every fillText; any other drawing call does nothing. */
function recordingCanvas() {
  const texts = [];
  const ctx = new Proxy({}, {
    get: (target, name) => (name === 'fillText' ? (text) => texts.push(String(text)) : name in target ? target[name] : () => ({ width: 10 })),
    set: (target, name, value) => Reflect.set(target, name, value),
  });
  return { texts, canvas: { width: 0, height: 0, getBoundingClientRect: () => ({ width: 400, height: 200 }), getContext: () => ctx } };
}

test("tick labels are written by the chart's format (the page's language), axis names as given", async () => {
  globalThis.window ??= { devicePixelRatio: 1 };
  globalThis.getComputedStyle ??= () => ({ getPropertyValue: () => '' });
  const { lineChart, STYLE } = await import('../../web/charts.js');
  const { loadLanguage } = await import('../../web/i18n.js');
  const es = await loadLanguage('es');
  const { texts, canvas } = recordingCanvas();
  const xs = [4, 8, 12, 16];
  lineChart(canvas, {
    xs, log: false, yMin: 0, xLabel: 'd_k', yLabel: 'desv. típica', format: (v) => es.short(v, 12),
    series: [{ style: STYLE.unscaled, mean: [0.1, 0.3, 0.5, 0.7], lo: [0, 0.2, 0.4, 0.6], hi: [0.2, 0.4, 0.6, 0.8] }],
  });
  assert.ok(texts.includes('0,2') && texts.includes('0,8'), texts.join(' | '));
  assert.ok(!texts.some((s) => /^\d+\.\d+$/.test(s)), texts.join(' | '));
  assert.ok(texts.includes('desv. típica') && texts.includes('d_k'));
  // Without a format, as JS writes numbers.
  const plain = recordingCanvas();
  lineChart(plain.canvas, { xs, log: false, yMin: 0, xLabel: 'd_k', yLabel: 'std', series: [{ style: STYLE.unscaled, mean: [0.1, 0.3, 0.5, 0.7] }] });
  assert.ok(plain.texts.some((s) => /^\d+\.\d+$/.test(s)), plain.texts.join(' | '));
});
