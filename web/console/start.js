// Loads the console's wasm; its start function mounts the app.
import init from "./helpline_console.js";
init();
