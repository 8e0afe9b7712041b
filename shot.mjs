import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
p.on('console', (m) => console.log('console', m.type(), m.text()));
await p.goto('http://127.0.0.1:8767/' + (process.argv[2] || ''));
await p.waitForTimeout(1500);
const el = p.locator('attention-explorer');
if (process.argv[3]) { await el.locator('#play').click(); await p.waitForTimeout(1500); console.log(await el.evaluate(e => e.dk)); }
await p.screenshot({ path: '/tmp/wa/shot.png' });
await b.close();
