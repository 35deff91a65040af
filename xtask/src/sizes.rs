//! The size report: what each shipped artifact costs a user, raw, gzipped and
//! brotli-compressed (what a CDN serves to most browsers), against the
//! budgets in the README (Budgets) (which count gzip). Printed by every build so each change sees
//! its cost.

use std::fs;
use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::cmd::{self, Result};
use crate::paths;

/// The loader is on every host page's critical path.
pub const LOADER_BUDGET_GZIP: usize = 3 * 1024;
/// The widget (wasm + its JS glue, the README's measure) loads on first open.
pub const WIDGET_BUDGET_GZIP: usize = 150 * 1024;
/// The specialist console's wasm + JS glue, gzip: it loads once a shift.
pub const CONSOLE_BUDGET_GZIP: usize = 250 * 1024;

/// Gzip size at the best level, as a CDN would serve it.
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

/// Brotli size at the best quality.
pub fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out.len()
}

struct Artifact {
    label: &'static str,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

fn measure(label: &'static str, path: &Path) -> Result<Artifact> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Artifact {
        label,
        raw: bytes.len(),
        gzip: gzip_len(&bytes),
        brotli: brotli_len(&bytes),
    })
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// Prints the size table and fails if a budget is exceeded.
pub fn report() -> Result {
    cmd::step("Sizes");
    let site = paths::site();
    let loader = measure(
        "loader  helpline-loader.js",
        &site.join("helpline-loader.js"),
    )?;
    let widget_js = measure(
        "widget  helpline_widget.js",
        &site.join("widget/helpline_widget.js"),
    )?;
    let widget_wasm = measure(
        "widget  helpline_widget_bg.wasm",
        &site.join("widget/helpline_widget_bg.wasm"),
    )?;
    let css = measure("widget  helpline.css", &site.join("widget/helpline.css"))?;
    let console_js = measure(
        "console helpline_console.js",
        &site.join("console/helpline_console.js"),
    )?;
    let console_wasm = measure(
        "console helpline_console_bg.wasm",
        &site.join("console/helpline_console_bg.wasm"),
    )?;
    let worker = measure(
        "worker  index_bg.wasm",
        &paths::backend().join("build/index_bg.wasm"),
    )?;
    eprintln!(
        "    {:<34} {:>10} {:>10} {:>10}",
        "artifact", "raw", "gzip", "brotli"
    );
    for a in [
        &loader,
        &widget_js,
        &widget_wasm,
        &css,
        &console_js,
        &console_wasm,
        &worker,
    ] {
        eprintln!(
            "    {:<34} {:>10} {:>10} {:>10}",
            a.label,
            kb(a.raw),
            kb(a.gzip),
            kb(a.brotli)
        );
    }
    let widget_gzip = widget_js.gzip + widget_wasm.gzip;
    let console_gzip = console_js.gzip + console_wasm.gzip;
    eprintln!(
        "    loader gzip {} of {} budget; widget (wasm + js) gzip {} of {} budget; \
         console (wasm + js) gzip {} of {} budget",
        kb(loader.gzip),
        kb(LOADER_BUDGET_GZIP),
        kb(widget_gzip),
        kb(WIDGET_BUDGET_GZIP),
        kb(console_gzip),
        kb(CONSOLE_BUDGET_GZIP)
    );
    if loader.gzip > LOADER_BUDGET_GZIP {
        return Err(format!(
            "the loader is {} gzip, over its budget",
            kb(loader.gzip)
        ));
    }
    if console_gzip > CONSOLE_BUDGET_GZIP {
        return Err(format!(
            "the console is {} gzip, over its budget",
            kb(console_gzip)
        ));
    }
    if widget_gzip > WIDGET_BUDGET_GZIP {
        return Err(format!(
            "the widget is {} gzip, over its budget",
            kb(widget_gzip)
        ));
    }
    Ok(())
}
