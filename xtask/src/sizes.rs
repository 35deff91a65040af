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

/// One thing a user downloads: the files that count against its gzip budget,
/// and those only listed (the widget's stylesheet is tiny and cached apart).
struct Bundle {
    name: &'static str,
    counted: &'static [&'static str],
    listed: &'static [&'static str],
    budget: usize,
}

/// What the site ships, under `target/site`.
const BUNDLES: [Bundle; 3] = [
    Bundle {
        name: "loader",
        counted: &["helpline-loader.js"],
        listed: &[],
        budget: LOADER_BUDGET_GZIP,
    },
    Bundle {
        name: "widget",
        counted: &[
            "widget/helpline_widget.js",
            "widget/helpline_widget_bg.wasm",
        ],
        listed: &["widget/helpline.css"],
        budget: WIDGET_BUDGET_GZIP,
    },
    Bundle {
        name: "console",
        counted: &[
            "console/helpline_console.js",
            "console/helpline_console_bg.wasm",
        ],
        listed: &[],
        budget: CONSOLE_BUDGET_GZIP,
    },
];

struct Artifact {
    label: String,
    raw: usize,
    gzip: usize,
    /// `None` for what no browser downloads (the Worker): brotli at its best
    /// level is most of the report's time.
    brotli: Option<usize>,
}

fn measure(label: String, path: &Path, for_browsers: bool) -> Result<Artifact> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Artifact {
        label,
        raw: bytes.len(),
        gzip: gzip_len(&bytes),
        brotli: for_browsers.then(|| brotli_len(&bytes)),
    })
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// One row of the report: what to measure, and whether it counts.
struct Row {
    bundle: Option<usize>,
    label: String,
    path: std::path::PathBuf,
}

/// Every row, bundles' files first and the Worker last.
fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, bundle) in BUNDLES.iter().enumerate() {
        let files = bundle.counted.iter().map(|f| (Some(i), f));
        for (counted, path) in files.chain(bundle.listed.iter().map(|f| (None, f))) {
            let name = path.rsplit('/').next().unwrap_or(path);
            rows.push(Row {
                bundle: counted,
                label: format!("{:<8}{name}", bundle.name),
                path: paths::site().join(path),
            });
        }
    }
    rows.push(Row {
        bundle: None,
        label: "worker  index_bg.wasm".into(),
        path: paths::backend().join("build/index_bg.wasm"),
    });
    rows
}

/// Prints the size table and fails if a budget is exceeded. The artifacts
/// are compressed side by side, one thread each.
pub fn report() -> Result {
    cmd::step("Sizes");
    let rows = rows();
    let measured: Vec<Result<Artifact>> = std::thread::scope(|scope| {
        let threads: Vec<_> = rows
            .iter()
            .map(|row| {
                let for_browsers = row.path.starts_with(paths::site());
                scope.spawn(move || measure(row.label.clone(), &row.path, for_browsers))
            })
            .collect();
        threads
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|_| Err("measuring panicked".into()))
            })
            .collect()
    });
    eprintln!(
        "    {:<34} {:>10} {:>10} {:>10}",
        "artifact", "raw", "gzip", "brotli"
    );
    let mut gzip = [0; BUNDLES.len()];
    for (row, artifact) in rows.iter().zip(measured) {
        let a = artifact?;
        let brotli = a.brotli.map_or_else(|| "—".to_owned(), kb);
        let (raw, gz) = (kb(a.raw), kb(a.gzip));
        eprintln!("    {:<34} {raw:>10} {gz:>10} {brotli:>10}", a.label);
        if let Some(i) = row.bundle {
            gzip[i] += a.gzip;
        }
    }
    let summary: Vec<String> = BUNDLES
        .iter()
        .zip(gzip)
        .map(|(b, gz)| format!("{} gzip {} of {} budget", b.name, kb(gz), kb(b.budget)))
        .collect();
    eprintln!("    {}", summary.join("; "));
    match BUNDLES.iter().zip(gzip).find(|(b, gz)| *gz > b.budget) {
        Some((b, gz)) => Err(format!(
            "the {} is {} gzip, over its budget",
            b.name,
            kb(gz)
        )),
        None => Ok(()),
    }
}
