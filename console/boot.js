// Loads the Studio's wasm (built by Trunk beside this file) and starts it.
import init from './console.js';

init({ module_or_path: new URL('./console_bg.wasm', import.meta.url) });
