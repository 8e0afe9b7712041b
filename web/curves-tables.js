// The curves section's numbers as text: the tables (its text alternative)
// and the CSV downloads. `bands` and `theory` are the sweep's, `d` the
// distributions drawn last (`{ stats, probs, row }`); every number is the
// engine's, bin edges included.

// The CSV's numbers: as JS writes them, whatever the page's language.
const fmt = (v, digits = 4) => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '');

function table(headers, rows, caption) {
  const t = document.createElement('table');
  t.createCaption().textContent = caption;
  const head = t.createTHead().insertRow();
  for (const h of headers) head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: h }));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const el = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) el.scope = 'row';
      el.textContent = cell;
      tr.append(el);
    });
  }
  return t;
}

/** The three tables: curves per d_k, histograms per bin, and one row's weights; words in the language of `words`. */
export function curvesTables({ dims, metrics, bands, trials, dk, d, names }, { t, short }) {
  const fmt = (v, digits = 4) => (Number.isFinite(v) ? short(v, digits) : '');
  const curveRows = dims.map((dim, i) => [
    String(dim),
    ...metrics.map((m) => {
      const b = bands.get(m);
      return b ? `${fmt(b.mean[i])} (${fmt(b.lo[i])}–${fmt(b.hi[i])})` : '';
    }),
  ]);
  const curves = table(['d_k', ...metrics.map((metric) => t('tables.curve', { metric }))], curveRows, t('tables.curves', { trials }));
  curves.dataset.testid = 'curves-table';
  const histRows = Array.from(d.stats[0].off, (_, i) => [
    String(i + 1),
    ...d.stats.flatMap((s) => [t('tables.to', { lo: fmt(s.edges[i]), hi: fmt(s.edges[i + 1]) }), String(s.off[i]), String(s.diag[i]),
      s.expected.length ? fmt(s.expected[i]) : '']),
  ]);
  const columns = d.stats.flatMap(({ which }) => ['range', 'off', 'diagonal', 'expected'].map((c) => t(`tables.${c}`, { panel: t(`panel.${which}`) })));
  const hist = table([t('tables.bin'), ...columns], histRows, t('tables.histograms', { dk }));
  const rowTable = table([t('tables.key'), t('tables.weight.unscaled'), t('tables.weight.scaled')],
    Array.from(d.probs[0], (_, i) => [names[i], fmt(d.probs[0][i], 6), fmt(d.probs[1][i], 6)]),
    t('tables.row', { name: names[d.row], dk }));
  return [curves, hist, rowTable];
}

/** Every metric's mean, percentiles and theory per d_k. */
export function curvesCsv(dims, metrics, bands, theory) {
  const header = ['d_k', ...metrics.flatMap((m) => [`${m}_mean`, `${m}_p10`, `${m}_p90`, `${m}_theory`])];
  const lines = [header.join(',')];
  dims.forEach((dim, i) => {
    const cells = [dim];
    for (const m of metrics) {
      const b = bands.get(m);
      cells.push(fmt(b.mean[i], 10), fmt(b.lo[i], 10), fmt(b.hi[i], 10), fmt(theory.get(m)[i], 10));
    }
    lines.push(cells.join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** Both panels' histograms: edges, counts and expected counts per bin. */
export function histogramsCsv(d) {
  const header = ['bin', ...d.stats.flatMap((s) => ['lo', 'hi', 'off_diagonal', 'diagonal', 'expected'].map((c) => `${s.which}_${c}`))];
  const lines = [header.join(',')];
  for (let i = 0; i < d.stats[0].off.length; i += 1) {
    const cells = [i];
    for (const s of d.stats) {
      cells.push(fmt(s.edges[i], 10), fmt(s.edges[i + 1], 10), s.off[i], s.diag[i], s.expected.length ? fmt(s.expected[i], 10) : '');
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** One query row's weights in both panels, keys quoted. */
export function rowCsv(d, names) {
  const lines = ['key,unscaled_weight,scaled_weight'];
  const quoted = (v) => `"${v.replaceAll('"', '""')}"`;
  d.probs[0].forEach((p, i) => lines.push([quoted(names[i]), fmt(p, 9), fmt(d.probs[1][i], 9)].join(',')));
  return `${lines.join('\n')}\n`;
}
