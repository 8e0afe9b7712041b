// The heatmaps' cells: hover for a cell's numbers; a click picks the query
// row; with focus, the arrow keys move a cell cursor (↑ ↓ also pick the row).
// The tooltip shows both tokens and all four numbers of the run shown, to 4
// significant digits, with the cell's row and column outlined.


/**
 * A line from a translated template: each `{name}` becomes `parts[name]`, a
 * (tag, text) pair made an element (a token as <bdi>, a number as <b>) or text.
 */
function line(template, parts) {
  const div = document.createElement('div');
  for (const [i, piece] of template.split(/\{(\w+)\}/).entries()) {
    const part = i % 2 ? parts[piece] : piece;
    if (typeof part === 'string' || typeof part === 'number') div.append(String(part));
    else div.append(Object.assign(document.createElement(part[0]), { textContent: part[1] }));
  }
  return div;
}

// Places the tooltip below and right of cell (row, col) of panel p, in the
// host's coordinates, and outlines the cell's row and column in both panels.
function place(root, ui, panels, [p, row, col], t) {
  const host = root.host.getBoundingClientRect();
  const rect = panels[p].cells.getBoundingClientRect();
  const cell = rect.width / t;
  const x = rect.left - host.left + (col + 1) * cell + 8;
  const y = rect.top - host.top + (row + 1) * cell + 6;
  const width = ui.tooltip.offsetWidth;
  ui.tooltip.style.left = `${Math.max(4, Math.min(x, host.width - width - 4))}px`;
  ui.tooltip.style.top = `${y}px`;
  for (const panel of panels) {
    Object.assign(panel.cellRow.style, { top: `${(100 * row) / t}%`, height: `${100 / t}%` });
    Object.assign(panel.cellCol.style, { left: `${(100 * col) / t}%`, width: `${100 / t}%` });
    panel.cellRow.hidden = false;
    panel.cellCol.hidden = false;
  }
}

/** The cell the arrow keys, Home and End move to from (row, col), within T. */
function moved(key, row, col, t) {
  const moves = {
    ArrowUp: [row - 1, col],
    ArrowDown: [row + 1, col],
    ArrowLeft: [row, col - 1],
    ArrowRight: [row, col + 1],
    Home: [row, 0],
    End: [row, t - 1],
  };
  return moves[key]?.map((v) => Math.max(0, Math.min(t - 1, v)));
}

/** A cell's pixel position within its canvas: [row, column], clamped to T. */
function cellAt(canvas, event, t) {
  const rect = canvas.getBoundingClientRect();
  const clamp = (v) => Math.max(0, Math.min(t - 1, Math.floor(v * t)));
  return [clamp((event.clientY - rect.top) / rect.height), clamp((event.clientX - rect.left) / rect.width)];
}

/** The tooltip and cell cursor of both heatmaps. */
class Cells {
  // The cell under the pointer or the keyboard cursor: [panel, row, column].
  cursor = null;
  // Between a pointer's press and its click: the focus that press gives the
  // canvas is not the keyboard's, and the click shows the cell pressed.
  pressed = false;

  constructor(view) {
    this.view = view;
    view.panels.forEach(({ cells }, p) => this.listen(cells, p));
  }

  /** T of the run shown. */
  get size() {
    return this.view.runs.shown?.inputs.t ?? 0;
  }

  listen(cells, p) {
    const { root, state, set } = this.view;
    const release = () => {
      this.pressed = false;
    };
    cells.addEventListener('pointerdown', () => {
      this.pressed = true;
    });
    cells.addEventListener('click', (event) => {
      release();
      const [row, col] = cellAt(cells, event, this.size);
      this.show(p, row, col);
      set('row', row);
    });
    cells.addEventListener('pointermove', (event) => this.show(p, ...cellAt(cells, event, this.size)));
    cells.addEventListener('pointerleave', () => {
      if (root.activeElement !== cells) this.hide();
    });
    cells.addEventListener('focus', () => {
      if (this.pressed) return;
      this.show(p, state.row, this.cursor ? this.cursor[2] : 0);
      this.say();
    });
    cells.addEventListener('pointercancel', release);
    cells.addEventListener('blur', () => {
      release();
      this.hide();
    });
    cells.addEventListener('keydown', (event) => this.onKey(p, event));
  }

  show(p, row, col) {
    const { root, ui, panels, explorer, runs } = this.view;
    const t = this.size;
    if (row >= t || col >= t) return this.hide();
    this.cursor = [p, row, col];
    if (runs.busy) return this.hide();
    const names = runs.shown.labels;
    const [su, ss, pu, ps, masked] = explorer.cell(row, col);
    const { t: say, short } = this.view.words;
    const sig = (x) => short(x, 4);
    ui.tooltip.replaceChildren(
      line(say('cell.query'), { q: ['bdi', names[row]], row, k: ['bdi', names[col]], col }),
      line(say('cell.score'), { u: ['b', sig(su)], s: ['b', sig(ss)] }),
      line(say('cell.weight'), { u: ['b', sig(pu)], s: ['b', sig(ps)] }),
      ...(masked ? [line(say('cell.masked'), {})] : []),
    );
    ui.tooltip.dataset.cell = `${row},${col}`;
    ui.tooltip.hidden = false;
    place(root, ui, panels, [p, row, col], t);
  }

  hide() {
    const { ui, panels } = this.view;
    this.cursor = null;
    ui.tooltip.hidden = true;
    // Also the canvases' accessible description (aria-describedby).
    ui.tooltip.replaceChildren();
    for (const panel of panels) {
      panel.cellRow.hidden = true;
      panel.cellCol.hidden = true;
    }
  }

  onKey(p, event) {
    if (event.key === 'Escape') return this.hide();
    const to = moved(event.key, this.view.state.row, this.cursor ? this.cursor[2] : 0, this.size);
    if (!to) return;
    event.preventDefault();
    this.show(p, ...to);
    this.say();
    this.view.set('row', to[0]);
  }

  // The keyboard cursor's cell, for screen readers (a description is not
  // announced again when it changes; a live region is).
  say() {
    const { ui } = this.view;
    ui.cellAnnounce.textContent = ui.tooltip.hidden ? '' : [...ui.tooltip.children].map((div) => div.textContent).join('. ');
  }

  /** After a run is shown: the cell under the cursor, with its new numbers. */
  refresh() {
    if (this.cursor) this.show(...this.cursor);
  }
}

/**
 * Wires the cells of `view.panels`. `view` gives `root`, `ui`, `explorer`,
 * `runs`, `state` and `set(name, value)`. Returns `refresh()` and `hide()`.
 */
export function bindCells(view) {
  return new Cells(view);
}
