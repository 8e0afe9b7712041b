// Where the explorer's own files are: beside this module, so the folder can
// live at any path. Every asset (stylesheet, engine, worker, built-in
// lessons) is found through here, so a host that has no server for them
// (the Jupyter widget, which loads them from blob: URLs) replaces this one
// module and nothing else.

/** The address of `path`, relative to the explorer's folder (a host without addresses for its files may give null for the folder itself). */
export const siteUrl = (path) => new URL(path, import.meta.url).href;

/** The engine's WebAssembly, for wasm-bindgen's `init`. */
export const wasmUrl = () => siteUrl('pkg/attention_wasm_bg.wasm');
