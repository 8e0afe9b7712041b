// Lecture mode: Play moves d_k from 4 to 256 and back until paused or
// taken over by hand; Large type scales the explorer for a projector.
import { test, expect } from './helpers.mjs';

const explorer = (page) => page.locator('attention-explorer');
const dk = (page) => explorer(page).evaluate((el) => el.dk);
/** Waits for `n` animation frames in the page (a pause for the view, not for time). */
const frames = (page, n) => page.evaluate((count) => new Promise((resolve) => {
  let left = count;
  const next = () => (left-- > 0 ? requestAnimationFrame(next) : resolve());
  next();
}), n);

/** Collects the d_k of every painted view (the element's change event), in order. */
async function paintedDk(page) {
  const seen = [];
  await page.exposeFunction('seen', (value) => seen.push(value));
  await explorer(page).evaluate((el) => el.addEventListener('change', (e) => window.seen(e.detail.dk)));
  return seen;
}

test('Play walks d_k up to 256 and back down, painting as it goes; Pause and the keyboard stop it', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('./?dk=200');
  const seen = await paintedDk(page);
  const play = explorer(page).locator('#play');
  await explorer(page).locator('#play-speed').selectOption('fast');
  await play.focus();
  await page.keyboard.press('Enter');
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await expect(play).toHaveText('❚❚ Pause');
  await expect.poll(() => seen.indexOf(256) >= 0 && seen.slice(seen.indexOf(256)).some((v) => v < 200), { timeout: 15_000 }).toBe(true);
  const top = seen.indexOf(256);
  const up = seen.slice(0, top + 1);
  const down = seen.slice(top, seen.findIndex((v, i) => i > top && v < 200) + 1);
  expect(up.every((v, i) => i === 0 || v > up[i - 1]), `up: ${up}`).toBe(true);
  expect(down.every((v, i) => i === 0 || v < down[i - 1]), `down: ${down}`).toBe(true);
  expect(up.length + down.length, 'a paint every few steps').toBeGreaterThan(8);
  await page.keyboard.press('Space');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  const stopped = await dk(page);
  await frames(page, 20);
  expect(await dk(page)).toBe(stopped);
  // Started again, a key on the slider takes over.
  await play.click();
  await expect.poll(() => dk(page)).not.toBe(stopped);
  await explorer(page).getByRole('slider', { name: /d_k/ }).press('Home');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => dk(page)).toBe(4);
  await frames(page, 20);
  expect(await dk(page)).toBe(4);
});

test('Play follows the log scale: quarter octaves, not steps of 4', async ({ page }) => {
  await page.goto('./?dk=4&dkscale=log');
  const seen = await paintedDk(page);
  await explorer(page).locator('#play-speed').selectOption('fast');
  await explorer(page).locator('#play').click();
  await expect.poll(() => seen.some((v) => v >= 64), { timeout: 15_000 }).toBe(true);
  await explorer(page).locator('#play').click();
  // 4 · 2^(k/4) rounded to a multiple of 4: 32, 40, 44, 52, 64; a linear walk would show 36, 48, 56 and 60 too.
  expect(seen.filter((v) => [36, 48, 56, 60].includes(v))).toEqual([]);
  expect(seen.filter((v) => v > 28 && v <= 64)).toEqual(expect.arrayContaining([64]));
});

test('Large type scales the whole explorer up, and is a link parameter and an attribute', async ({ page }) => {
  await page.goto('./');
  const size = () => explorer(page).locator('.app').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const normal = await size();
  await explorer(page).getByLabel('Large type').check();
  await expect.poll(size).toBeCloseTo(normal * 1.4, 1);
  await expect(page).toHaveURL(/[?&]type=large/);
  await page.reload();
  await expect(explorer(page).getByLabel('Large type')).toBeChecked();
  expect(await size()).toBeCloseTo(normal * 1.4, 1);
  await explorer(page).evaluate((el) => el.setAttribute('type', 'normal'));
  await expect.poll(size).toBeCloseTo(normal, 1);
  await explorer(page).evaluate((el) => el.setAttribute('type', 'huge'));
  await expect(explorer(page).getByTestId('notice')).toContainText('Type size');
});
