//! The Studio's entry point: Trunk builds this binary to wasm (`console/index.html`).
//! Build with `scripts/build`; it is then served by the collector at `/console/`.

fn main() {
    console::start();
}
