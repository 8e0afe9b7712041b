// The widget inside real notebooks: JupyterLab 4 and Notebook 7 started on
// 127.0.0.1 from the test venv (where `cargo xtask test` installed them, the
// wheel it built and a fresh ipykernel), a notebook opened, its cells run by
// the keyboard as a person runs them. The explorer must paint from the
// wheel's own files, a drag must reach the kernel, and the kernel's
// assignments must reach the explorer. Nothing may come from another host.
import { createHash } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { canvasPixels } from './helpers.mjs';
import { notebookOf, startJupyter } from '../jupyter-server.mjs';

const python = process.env.JUPYTER_PYTHON;

const NOTEBOOK = notebookOf([
  ['from attention_explorer import Explorer', 'w = Explorer(dk=64)', 'w'],
  ["print('kernel sees dk =', w.dk)"],
  // result() in the cell that changed the widget: the kernel writes the snippet itself.
  ["w.dk = 128", "w.qk = 'independent'", "r = w.result()", "print('result', r['weights_scaled'].shape, r['q'].dtype, 'std %.4f' % r['stats']['std_scaled'])"],
  ["w.text = 'the cat sat on the mat'"],
  ['import hashlib', "print('snippet', hashlib.sha256(w.numpy_snippet().encode()).hexdigest())"],
]);

/**
 * Runs the notebook's cell `index` as a person does: click into it,
 * Shift+Enter. A run asked for before the page has connected to the kernel
 * is dropped without a word (the prompt stays `[ ]:`, whatever the status
 * shows); a person then runs it again, and so does this.
 */
async function runCell(page, index) {
  const cell = page.locator('.jp-Notebook .jp-Cell').nth(index);
  await expect(async () => {
    await cell.locator('.cm-content').click();
    await page.keyboard.press('Shift+Enter');
    await expect(cell.locator('.jp-InputPrompt')).not.toHaveText('[ ]:', { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
}

for (const [app, path, name] of [['lab', 'lab/tree/widget.ipynb', 'JupyterLab 4'], ['notebook', 'notebooks/widget.ipynb', 'Notebook 7']]) {
  test(`${name}: Explorer(dk=64) paints offline, a drag reaches the kernel, the kernel's values reach the explorer`, async ({ page }) => {
    test.setTimeout(150_000);
    expect(python, `no Python with Jupyter: ${process.env.JUPYTER_PYTHON_MISSING ?? 'JUPYTER_PYTHON is not set'}`).toBeTruthy();
    const server = await startJupyter(python, app, { 'widget.ipynb': NOTEBOOK });
    const problems = [];
    // Notebook 7.6 throws once while loading its own settings ("reading 'schema'", in
    // notebook_core.js, with or without this widget): an error raised in the
    // application's own core bundle is not the widget's; anything else is.
    const applications = /^\s*at .*\/static\/(notebook|lab)\/(notebook|jlab)_core\.[0-9a-f]+\.js/;
    page.on('pageerror', (e) => applications.test(e.stack.split('\n')[1] ?? '') || problems.push(`page error: ${e.stack}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol.startsWith('http') && url.origin !== new URL(server.url).origin) problems.push(`request to another host: ${r.url()}`);
    });
    try {
      await page.goto(`${server.url}${path}?token=${server.token}`);
      await expect(page.locator('.jp-Notebook .jp-Cell')).toHaveCount(NOTEBOOK.cells.length, { timeout: 60_000 });
      // A cell run before the kernel is connected is dropped, as it would be for a person: wait as a person waits.
      await expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first()).toBeAttached({ timeout: 60_000 });

      await runCell(page, 0);
      const explorer = page.locator('attention-explorer');
      await expect(explorer).toHaveCount(1, { timeout: 90_000 });
      await explorer.evaluate((e) => e.ready);
      const slider = explorer.getByRole('slider', { name: /d_k/ });
      await expect(slider).toHaveValue('64');
      await expect(explorer.getByTestId('std-scaled')).not.toHaveText('–');
      const { data } = await canvasPixels(explorer.getByTestId('heatmap-scaled'));
      expect(new Set(data.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(3);

      // A drag (the keyboard's step of the slider): the kernel reads the new d_k.
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      await expect(slider).toHaveValue('68');
      await runCell(page, 1);
      await expect(page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea-output')).toHaveText(/kernel sees dk = 68/, { timeout: 30_000 });

      // The kernel's assignments redraw the explorer, and the same cell's result() is of the new view.
      await runCell(page, 2);
      await expect(slider).toHaveValue('128', { timeout: 30_000 });
      await expect(explorer.locator('input[name="qk"][value="independent"]')).toBeChecked();
      // The kernel's std (computed there), then the explorer's readout once it has drawn this view.
      const output = page.locator('.jp-Cell').nth(2).locator('.jp-OutputArea-output');
      await expect(output).toHaveText(/^result \(10, 10\) float32 std \d+\.\d{4}\s*$/, { timeout: 30_000 });
      const std = (await output.textContent()).trim().split(' ').at(-1);
      await expect(explorer.getByTestId('std-scaled')).toHaveText(std);

      // Own text: the browser splits it into words, the kernel's snippet is then the explorer's own.
      await runCell(page, 3);
      await expect.poll(() => explorer.evaluate((e) => e.state.text), { timeout: 30_000 }).toBe('the cat sat on the mat');
      await runCell(page, 4);
      const made = await explorer.evaluate((e) => e.numpySnippet());
      expect(made.text).toContain('words = ["the", "cat", "sat", "on", "the", "mat"]');
      const digest = createHash('sha256').update(made.text).digest('hex');
      await expect(page.locator('.jp-Cell').nth(4).locator('.jp-OutputArea-output')).toHaveText(`snippet ${digest}`, { timeout: 30_000 });
      await page.screenshot({ path: `test-results/jupyter-${app}.png` });
      expect(problems).toEqual([]);
    } finally {
      await server.stop();
    }
  });
}
