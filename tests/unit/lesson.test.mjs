// Lessons without a browser: the validator (outside JSON is never trusted),
// the progress kept in storage, and the string tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { FORMAT, LIMITS, parseLesson, isClose, tooLarge } from '../../web/lesson-format.js';
import { readProgress, writeProgress, clearProgress, progressKey } from '../../web/lesson-progress.js';
import en from '../../web/i18n/en.js';

const web = new URL('../../web/', import.meta.url);
const lesson = (steps, extra = {}) => ({ format: FORMAT, version: 1, id: 'l', title: 'T', steps, ...extra });
const step = (extra = {}) => ({ prompt: 'p', explain: 'e', ...extra });
const refused = (value, pattern) => assert.throws(() => parseLesson(value), (e) => e.name === 'LessonError' && pattern.test(e.message), String(pattern));

test('the built-in lesson is valid, and its states are what the page accepts', () => {
  const parsed = parseLesson(readFileSync(new URL('lessons/notebook-03.json', web), 'utf8'));
  assert.equal(parsed.id, 'notebook-03');
  assert.equal(parsed.steps.length, 11);
  assert.deepEqual(parsed.steps[1].state, { qk: 'independent', dk: 4 });
  assert.deepEqual(parsed.steps[1].reveal, { dk: 64 });
  assert.deepEqual(parsed.steps[1].observe, { panel: 'unscaled', stat: 'std' });
  // Every step predicts (the point of the lesson), and ends on independent Q, K.
  assert.ok(parsed.steps.every((s) => s.predict));
  assert.equal(parsed.steps.at(-1).state.qk, 'independent');
});

test('wrong types, unknown fields and out-of-range values are refused, saying where', () => {
  refused('[1, 2]', /^lesson: must be an object, not a list/);
  refused(lesson([step()], { version: 2 }), /lesson\.version: must be 1/);
  refused(lesson([step()], { format: 'x' }), /lesson\.format/);
  refused(lesson([step()], { id: 'Has Spaces' }), /lesson\.id: must be lower-case/);
  refused(lesson([step()], { lang: '<b>' }), /lesson\.lang/);
  refused(lesson([]), /lesson\.steps: must be a list of at least one step/);
  refused(lesson(Array(LIMITS.steps + 1).fill(step())), /has 41 steps; at most 40/);
  refused(lesson([step({ prompt: ['a'] })]), /step 1\.prompt: must be text, not a list/);
  refused(lesson([step({ prompt: '   ' })]), /step 1\.prompt: is empty/);
  refused(lesson([step({ explain: 'x'.repeat(2001) })]), /step 1\.explain: is 2,001 characters long; at most 2,000/);
  refused(lesson([step({ __proto__x: 1 })]), /has no field "__proto__x"/);
  refused(lesson([step({ predict: { kind: 'draw' } })]), /predict\.kind: must be "choice", "number", "text" or "sketch"/);
  refused(lesson([step({ predict: { kind: 'sketch', max: 0 } })]), /predict\.max: must be above 0/);
  refused(lesson([step({ predict: { kind: 'sketch', panel: 'both' } })]), /predict\.panel: must be one of unscaled, scaled/);
  refused(lesson([step({ predict: { kind: 'choice', choices: ['only'] } })]), /choices: must be a list of 2 to 6/);
  refused(lesson([step({ predict: { kind: 'choice', choices: ['a', 7] } })]), /choices\[1\]: must be text, not a number/);
  refused(lesson([step({ predict: { kind: 'choice', choices: ['a', 'b'], answer: 1.5 } })]), /answer: must be the number of the right choice/);
  refused(lesson([step({ predict: { kind: 'number', answer: '8' } })]), /answer: must be a number, not a string/);
  refused(lesson([step({ predict: { kind: 'number', answer: 8, tolerance: -1 } })]), /tolerance: must be from 0 to 10/);
  refused(lesson([step({ predict: { kind: 'text', answer: 'x' } })]), /has no field "answer"/);
  refused(lesson([step({ observe: 'unscaled.std.x' })]), /observe: must name a panel and a statistic/);
  refused(lesson([step({ observe: 'scaled.constructor' })]), /observe: must name a panel and a statistic/);
});

test('a step state is validated like the URL: no clamping, no unknown or display-only names', () => {
  refused(lesson([step({ state: 'dk=6' })]), /step 1\.state: d_k .* is not a multiple of 4; using 8\./);
  refused(lesson([step({ state: 'qk=both' })]), /step 1\.state: Q\/K source .* is not one of self, independent/);
  refused(lesson([step({ state: 'lesson=other' })]), /"lesson" is not a parameter of the explorer/);
  refused(lesson([step({ state: 'theme=dark' })]), /"theme" is the reader's choice/);
  refused(lesson([step({ state: 'lang=ar' })]), /"lang" is the reader's choice/);
  refused(lesson([step({ reveal: 'type=large' })]), /"type" is the reader's choice/);
  refused(lesson([step({ reveal: { dk: [64] } })]), /step 1\.reveal\.dk: must be text or a number, not a list/);
  refused(lesson([step({ state: { constructor: 'x' } })]), /has no field "constructor"/);
  const ok = parseLesson(lesson([step({ state: { dk: 64, qk: 'independent' }, reveal: 'tau=0.5' })]));
  assert.deepEqual([ok.steps[0].state, ok.steps[0].reveal], [{ dk: 64, qk: 'independent' }, { tau: 0.5 }]);
});

test('text is kept as written (markup included: it is only ever shown as text); 10 MB is refused before parsing', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  assert.equal(parseLesson(lesson([step({ prompt: hostile })])).steps[0].prompt, hostile);
  const huge = JSON.stringify(lesson([step({ prompt: 'x'.repeat(10 * 1024 * 1024) })]));
  refused(huge, /^The lesson is 10,241 KB; a lesson may be at most 256 KB\.$/);
  refused('{"format": ', /^The lesson is not valid JSON/);
});

test('a number prediction is close within a share of the answer', () => {
  assert.equal(isClose(7, 8, 0.25), true);
  assert.equal(isClose(5.9, 8, 0.25), false);
  assert.equal(isClose(0, 0, 0), true);
  assert.equal(isClose(1e-9, 0, 0.25), false);
  assert.equal(isClose(Number.NaN, 8, 0.25), false);
});

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)), removeItem: (k) => items.delete(k), items };
}

test('progress is kept per lesson, and a stored record that does not fit the lesson is ignored', () => {
  const l = parseLesson(lesson([
    step({ predict: { kind: 'choice', choices: ['a', 'b'], answer: 0 } }),
    step({ predict: { kind: 'number' } }),
    step(),
  ]));
  const storage = memoryStorage();
  assert.deepEqual(readProgress(storage, l), { step: 0, answers: [null, null, null] });
  const progress = { step: 2, answers: [{ value: 1, skipped: false, revealed: true }, { value: null, skipped: true, revealed: true }, null] };
  writeProgress(storage, l, progress);
  assert.deepEqual(readProgress(storage, l), progress);
  // Hand-edited or from an older lesson of the same id: each unfit answer is dropped.
  // Keyed by the id and the steps: the same id with other steps reads nothing of this record.
  const other = parseLesson(lesson([step({ prompt: 'another' }), step(), step()]));
  assert.notEqual(progressKey(other), progressKey(l));
  assert.deepEqual(readProgress(storage, other), { step: 0, answers: [null, null, null] });
  storage.setItem(progressKey(l), JSON.stringify({ step: 99, answers: [{ value: 5, skipped: false, revealed: true }, { value: '8', skipped: false, revealed: true }, null] }));
  assert.deepEqual(readProgress(storage, l), { step: 0, answers: [null, null, null] });
  storage.setItem(progressKey(l), '{not json');
  assert.deepEqual(readProgress(storage, l).step, 0);
  clearProgress(storage, l);
  assert.equal(storage.items.size, 0);
  // A browser that refuses storage: the lesson goes on.
  const refusing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() { throw new Error('denied'); } };
  assert.deepEqual(readProgress(refusing, l).step, 0);
  writeProgress(refusing, l, progress);
  assert.deepEqual(readProgress(null, l).step, 0);
});

test('every string key the page uses is in the English table, and every table has every English key', async () => {
  const sources = readdirSync(web).filter((f) => f.endsWith('.js')).map((f) => readFileSync(new URL(f, web), 'utf8')).join('\n');
  const used = new Set([...sources.matchAll(/\bt\('([a-zA-Z]+(?:\.[a-zA-Z]+)+)'/g)].map((m) => m[1]));
  // A plural needs its `other` form in every language (English also its `one`).
  for (const m of sources.matchAll(/\bplural\('([a-zA-Z]+(?:\.[a-zA-Z]+)+)'/g)) used.add(`${m[1]}.other`).add(`${m[1]}.one`);
  // Keys built from a name: the statistics and panels a lesson may observe.
  const { OBSERVABLE } = await import('../../web/lesson-format.js');
  for (const stat of OBSERVABLE.stats) used.add(`stat.${stat}`);
  for (const panel of OBSERVABLE.panels) used.add(`panel.${panel}`);
  assert.ok(used.size > 20, String(used.size));
  assert.deepEqual([...used].filter((key) => !(key in en)), []);
  // Plural forms other than `other` exist only where the language has them (zh has none; ar has two).
  const optional = (key) => /\.(one|two|few|many|zero)$/.test(key);
  for (const file of readdirSync(new URL('i18n/', web)).filter((f) => !f.endsWith('-markup.js'))) {
    const table = (await import(new URL(`i18n/${file}`, web))).default;
    assert.deepEqual(Object.keys(en).filter((key) => !(key in table) && !optional(key)), [], file);
  }
});

test("the README's lesson example is a valid lesson", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Teach with it'), readme.indexOf('## Embedding in a course site'));
  const block = section.match(/```json\n([\s\S]*?)```/);
  assert.ok(block, 'a json block in "Teach with it"');
  const parsed = parseLesson(block[1]);
  assert.equal(parsed.steps.length, 2);
  assert.equal(parsed.steps[1].predict.answer, 1);
});

test('a lesson in a link: deflated base64url that decodes to the same JSON; damage and bombs are refused', async () => {
  const { encodeLesson, decodeLesson } = await import('../../web/lesson-link.js');
  const original = JSON.parse(readFileSync(new URL('lessons/notebook-03.json', web), 'utf8'));
  const encoded = await encodeLesson(original);
  assert.match(encoded, /^z[A-Za-z0-9_-]+$/);
  assert.ok(encoded.length < 0.6 * JSON.stringify(original).length, `${encoded.length}`);
  assert.deepEqual(JSON.parse(await decodeLesson(encoded)), original);
  assert.deepEqual(parseLesson(await decodeLesson(encoded)), parseLesson(original));
  const refusedLink = (value, pattern) => assert.rejects(decodeLesson(value), (e) => e.name === 'LessonError' && pattern.test(e.message));
  await refusedLink('z<script>', /damaged \(it has characters/);
  await refusedLink(`z${encoded.slice(1, 40)}`, /damaged \(it does not unpack\)/);
  await refusedLink('x1234', /does not hold a lesson/);
  // 10 MB of spaces deflate to a few kilobytes; unpacking stops at the limit.
  const bomb = new Blob([' '.repeat(10 * 1024 * 1024)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(bomb).arrayBuffer());
  const small = `z${Buffer.from(bytes).toString('base64url')}`;
  assert.ok(small.length < 30_000, String(small.length));
  await refusedLink(small, /a lesson may be at most 256 KB/);
});

test('a draft: views become step states, typed fields become a lesson, and a lesson becomes a draft again', async () => {
  const { viewQuery, newStep, draftToLesson, lessonToDraft, readDraft, writeDraft } = await import('../../web/lesson-draft.js');
  const { PARAMS } = await import('../../web/state.js');
  const defaults = Object.fromEntries(Object.entries(PARAMS).map(([k, v]) => [k, v.fallback]));
  assert.equal(viewQuery({ ...defaults, dk: 64, qk: 'independent', cmap: 'grey' }), 'dk=64&qk=independent');
  assert.equal(viewQuery({ ...defaults, text: 'a b', tau: 2 }), 'dk=16&tau=2&text=a+b');
  const step = { ...newStep({ ...defaults, dk: 4 }), prompt: 'p', explain: 'e', kind: 'number', number: '2,5', tolerance: '', reveal: ' dk=64 ', observe: 'scaled.std' };
  const lesson = draftToLesson({ title: '  Ünïcode title! ', steps: [step] });
  assert.equal(lesson.id, 'unicode-title');
  assert.deepEqual(lesson.steps[0], { state: 'dk=4', prompt: 'p', explain: 'e', predict: { kind: 'number', answer: 2.5, tolerance: 0.25 }, reveal: 'dk=64', observe: 'scaled.std' });
  const built = parseLesson(readFileSync(new URL('lessons/notebook-03.json', web), 'utf8'));
  // All but the id, which a draft makes from the title.
  assert.deepEqual(parseLesson(draftToLesson(lessonToDraft(built))), { ...built, id: 'why-attention-divides-by-d-k-notebook-03' });
  // The lesson's language, a number's unit and a sketch's top survive the round trip.
  const spanish = { title: 'Lección', lang: 'es', steps: [{ ...step, unit: 'nats' }, { ...newStep(defaults), prompt: 'p', explain: 'e', kind: 'sketch', max: '40' }] };
  const again = lessonToDraft(parseLesson(draftToLesson(spanish)));
  assert.equal(again.lang, 'es');
  assert.equal(again.steps[0].unit, 'nats');
  assert.equal(again.steps[1].max, '40');
  assert.equal(draftToLesson(spanish).steps[1].predict.max, 40);
  assert.equal(draftToLesson({ title: '', steps: [] }, 'Una lección').title, 'Una lección');
  const storage = memoryStorage();
  writeDraft(storage, { title: 't', lang: 'zh', steps: [step] });
  assert.deepEqual(readDraft(storage), { title: 't', lang: 'zh', steps: [step] });
  // A draft kept before steps had a unit and a top: those fields take their defaults.
  const { unit, max, ...older } = step;
  storage.setItem('attention-explorer.lesson-draft', JSON.stringify({ title: 't', steps: [older] }));
  assert.deepEqual(readDraft(storage, 'ar'), { title: 't', lang: 'ar', steps: [{ ...step, unit: '', max: '20' }] });
  storage.setItem('attention-explorer.lesson-draft', JSON.stringify({ title: 't', steps: [{ ...step, prompt: 42 }] }));
  assert.deepEqual(readDraft(storage, 'es'), { title: '', lang: 'es', steps: [] });
});

test('each translation of the built-in lesson is the English lesson with only its words changed', () => {
  const english = parseLesson(readFileSync(new URL('lessons/notebook-03.json', web), 'utf8'));
  const shape = (lesson) => lesson.steps.map((s) => ({ ...s, title: '', prompt: '', explain: '', predict: s.predict?.kind === 'choice' ? { ...s.predict, choices: s.predict.choices.length } : s.predict }));
  for (const lang of ['es', 'zh', 'ar']) {
    const translated = parseLesson(readFileSync(new URL(`lessons/notebook-03.${lang}.json`, web), 'utf8'));
    assert.equal(translated.id, english.id, lang);
    assert.equal(translated.lang.split('-')[0], lang);
    assert.deepEqual(shape(translated), shape(english), lang);
    // Every text differs from the English one (nothing left untranslated).
    translated.steps.forEach((s, i) => assert.notEqual(s.prompt, english.steps[i].prompt, `${lang} step ${i + 1}`));
  }
});

test('every language table translates the same markup wordings', async () => {
  const tables = await Promise.all(['es', 'zh', 'ar'].map((lang) => import(new URL(`i18n/${lang}.js`, web))));
  const keys = tables.map((t) => Object.keys(t.markup).sort());
  assert.ok(keys[0].length > 150, String(keys[0].length));
  assert.deepEqual(keys[1], keys[0]);
  assert.deepEqual(keys[2], keys[0]);
});

test('numbers are read as students type them, in each language', async () => {
  const { readNumber } = await import('../../web/i18n.js');
  const cases = [
    ['8', 'en', 8], ['0.25', 'en', 0.25], ['0,25', 'en', 0.25], ['65,504', 'en', 65504], ['65,504', 'es', 65.504],
    ['2,5', 'es', 2.5], ['８', 'zh', 8], ['１２．５', 'zh', 12.5], ['٨', 'ar', 8], ['٠٫٢٥', 'ar', 0.25], ['٦٥٬٥٠٤', 'ar', 65504],
    ['−3', 'en', -3], ['1e3', 'en', 1000], ['eight', 'en', Number.NaN], ['1,2,3', 'en', Number.NaN], ['', 'en', Number.NaN],
  ];
  for (const [raw, lang, value] of cases) assert.deepEqual(readNumber(raw, lang), value, `${raw} (${lang})`);
});

test("a lesson's errors are in the reader's language, the field's place included", async () => {
  const { loadLanguage } = await import('../../web/i18n.js');
  const es = await loadLanguage('es');
  const spanish = (value, message) => assert.throws(() => parseLesson(value, es), (e) => e.name === 'LessonError' && e.message === message, message);
  spanish(lesson([step({ state: 'theme=dark' })]), 'paso 1.state: "theme" lo elige quien lee, no la lección');
  spanish(lesson([step({ state: 'dk=5000' })]), 'paso 1.state: d_k "\u20685000\u2069" está por encima del máximo 4096; se usa 4096.');
  spanish(lesson([step({ prompt: 7 })]), 'paso 1.prompt: debe ser texto, no un número');
  spanish(lesson([step({ explain: undefined })]), 'paso 1.explain: falta');
  spanish('{', `La lección no es JSON válido (${(() => { try { JSON.parse('{'); } catch (e) { return e.message; } })()}).`);
  assert.equal(tooLarge(10 * 1024 * 1024, es).message, 'La lección ocupa 10.240 KB; una lección puede ocupar como mucho 256 KB.');
  // The caller's language is not left behind for the next (English) caller.
  assert.throws(() => parseLesson(lesson([step({ prompt: 7 })])), (e) => e.message === 'step 1.prompt: must be text, not a number');
});

test("progress is kept across the lesson's languages, and not across changed steps", async () => {
  const read = (name) => parseLesson(readFileSync(new URL(`lessons/${name}.json`, web), 'utf8'));
  const english = read('notebook-03');
  for (const lang of ['es', 'zh', 'ar']) assert.equal(progressKey(read(`notebook-03.${lang}`)), progressKey(english), lang);
  const moved = { ...english, steps: english.steps.map((s, i) => (i === 1 ? { ...s, state: { ...s.state, dk: 8 } } : s)) };
  assert.notEqual(progressKey(moved), progressKey(english));
  const answered = { ...english, steps: english.steps.map((s, i) => (i === 0 ? { ...s, predict: { ...s.predict, answer: 0 } } : s)) };
  assert.notEqual(progressKey(answered), progressKey(english));
});

test('a draft reads numbers as people write them in the interface language', async () => {
  const { newStep, draftToLesson } = await import('../../web/lesson-draft.js');
  const step = { ...newStep({ dk: 4 }), prompt: 'p', explain: 'e', kind: 'number', number: '0,125', tolerance: '0,25' };
  assert.equal(draftToLesson({ title: 't', steps: [step] }, 'A lesson', 'es').steps[0].predict.answer, 0.125);
  assert.equal(draftToLesson({ title: 't', steps: [{ ...step, number: '1,024' }] }, 'A lesson', 'en').steps[0].predict.answer, 1024);
});
