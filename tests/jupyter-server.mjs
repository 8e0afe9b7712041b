// A Jupyter server for the browser tests and the bench: JupyterLab or
// Notebook 7 from a Python that has them, on a free loopback port, in a
// folder of its own with its own settings, serving the notebooks given.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nothing listens on now. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** A notebook of code cells, each cell a list of lines. */
export const notebookOf = (cells) => ({
  cells: cells.map((lines, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source: lines.join('\n') })),
  metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' } },
  nbformat: 4,
  nbformat_minor: 5,
});

/**
 * Starts `python -m jupyter <app>` (lab or notebook) with `notebooks`
 * (file name → notebook) in its root folder; resolves to `{ url, token,
 * stop() }` once it listens.
 */
export async function startJupyter(python, app, notebooks) {
  const home = mkdtempSync(join(tmpdir(), 'explorer-jupyter-'));
  mkdirSync(join(home, 'notebooks'));
  for (const [name, notebook] of Object.entries(notebooks)) writeFileSync(join(home, 'notebooks', name), JSON.stringify(notebook));
  const token = 'explorer-test';
  const port = await freePort();
  const args = ['-m', 'jupyter', app, '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--ServerApp.port_retries=0',
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${join(home, 'notebooks')}`];
  if (process.getuid?.() === 0) args.push('--allow-root');
  // Its own settings and workspaces: no state of an earlier run or of the machine's user.
  const env = { ...process.env, JUPYTER_CONFIG_DIR: join(home, 'config'), JUPYTERLAB_SETTINGS_DIR: join(home, 'settings'), JUPYTERLAB_WORKSPACES_DIR: join(home, 'workspaces'), JUPYTER_RUNTIME_DIR: join(home, 'runtime') };
  const server = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Jupyter did not start in 60 s:\n${log}`)), 60_000);
    const read = (chunk) => {
      log += chunk;
      // Printed once the server listens.
      if (/is running at/.test(log)) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}/`);
      }
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.on('exit', (code) => reject(new Error(`Jupyter exited (${code}):\n${log}`)));
  });
  const exited = new Promise((resolve) => server.on('exit', resolve));
  return {
    url,
    token,
    /** Stops the server and its kernels, and waits until they are gone. */
    async stop() {
      const signal = (name) => {
        try {
          process.kill(-server.pid, name);
        } catch {
          // Already gone.
        }
      };
      signal('SIGTERM');
      const killer = setTimeout(() => signal('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
