//! Building what the Worker runs and serves: the widget (release wasm,
//! wasm-bindgen, wasm-opt), the static site around it, and the Worker bundle.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{self, run, Result};
use crate::tools::{cargo_bin, BROWSER_TOOLCHAIN, WASM_TARGET};
use crate::{lints, paths, sizes};

/// The wasm features current rustc emits; wasm-opt refuses them unless enabled.
const WASM_OPT_FEATURES: [&str; 5] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds everything and prints the size report.
pub fn build_all() -> Result {
    let site = aside(build_site);
    let worker = build_worker();
    joined(site).and(worker)?;
    sizes::report()
}

/// Runs `build` on a thread of its own. The widget (`target/browser`), the
/// console (`target/console`), the Worker (`target/worker`) and the native
/// crates (`target`) each have their own target folder, so their builds run
/// side by side, and each spends long stretches on one core (LTO, wasm-opt,
/// linking) that the others can use.
pub fn aside(build: fn() -> Result) -> std::thread::JoinHandle<Result> {
    std::thread::spawn(build)
}

/// The outcome of a build started with [`aside`].
pub fn joined(build: std::thread::JoinHandle<Result>) -> Result {
    build
        .join()
        .unwrap_or_else(|_| Err("a build thread panicked".into()))
}

/// The widget and the console bundles plus the static files under `web/`,
/// into `target/site`. Both are built the browser's way ([`build_wasm`]),
/// side by side, each in its own target folder: they are compiled with
/// different flags ([`CONSOLE_RUSTFLAGS`]), which one folder would rebuild
/// everything for at each switch, and one cargo run would unify the features
/// of the crates they share, and the widget has no byte to spare. Each is
/// bound and optimised as soon as it is built.
pub fn build_site() -> Result {
    cmd::step("Building the widget and the console (release wasm)");
    build_site_with(Lint::No)
}

/// [`build_site`], linting the widget, the console and `shared` for wasm as
/// they compile (nightly's clippy, warnings denied): their only build.
pub fn build_site_linted() -> Result {
    cmd::step("Building the widget and the console, linted (release wasm, clippy -D warnings)");
    build_site_with(Lint::Yes)
}

/// Whether a build lints the workspace crates it compiles ([`lints`]).
#[derive(Clone, Copy)]
enum Lint {
    Yes,
    No,
}

fn build_site_with(lint: Lint) -> Result {
    let root = paths::root();
    let site = paths::site();
    if site.exists() {
        fs::remove_dir_all(&site).map_err(|e| format!("clearing {}: {e}", site.display()))?;
    }
    copy_tree(&root.join("web"), &site)?;
    minify_loader(&root.join("web").join(LOADER), &site.join(LOADER))?;
    let console = std::thread::spawn(move || {
        let wasm = build_wasm_with("helpline-console", "console", &console_rustflags(), lint)?;
        // The console has room in its budget: one optimising pass, not passes
        // until nothing shrinks (0.8 KB gzip for 27 s more of every build).
        bind_wasm_once(&wasm, &paths::site().join("console"))
    });
    let widget = build_wasm_with("helpline-widget", "browser", BROWSER_RUSTFLAGS, lint)
        .and_then(|w| bind_wasm(&w, &site.join("widget")));
    let console = console
        .join()
        .unwrap_or_else(|_| Err("the console build panicked".into()));
    widget.and(console)
}

/// The console's flags: the browser's, and Leptos's `erase_components`, which
/// makes every component's view one type-erased `AnyView` instead of a type
/// of its own: 9.7 KB gzip off the console, but 10 KB onto the widget (few
/// components, each used once), so for the console only.
fn console_rustflags() -> String {
    format!("{BROWSER_RUSTFLAGS} --cfg erase_components")
}

const LOADER: &str = "helpline-loader.js";

/// The loader is on every host page's critical path: it ships minified (the
/// readable source stays in `web/`).
fn minify_loader(source: &Path, out: &Path) -> Result {
    minify(source, out, "--target=es2017")
}

/// esbuild's minifier: shorter names and no whitespace; exported names and
/// property names (the wasm's imports) stay as they are.
fn minify(source: &Path, out: &Path, target: &str) -> Result {
    run(Command::new(paths::node_bin("esbuild"))
        .arg(source)
        .args([
            "--minify",
            target,
            "--log-level=warning",
            "--allow-overwrite",
        ])
        .arg(format!("--outfile={}", out.display())))
}

/// A wasm library crate built the way the widget ships: [`build_wasm`], then
/// [`bind_wasm`] into `out` (`<crate>.js` and the optimised `<crate>_bg.wasm`).
pub fn build_wasm_crate(package: &str, out: &Path) -> Result {
    let wasm = build_wasm(package)?;
    bind_wasm(&wasm, out)
}

/// How the browser's wasm is compiled, beyond the release profile: panics
/// stop at once without formatting a message or a location, `{:?}` prints
/// nothing, and the standard library is rebuilt for size with the widget.
/// Measured on the complete widget: 27 KB gzip less than stable with the
/// same profile (README, "Budgets"); on the console, 25 KB. None of it changes behaviour: the
/// widget never shows a panic message or a `Debug` rendering.
const BROWSER_RUSTFLAGS: &str =
    "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none";

/// `cargo build --release --lib` of `package` for the browser (wasm32, with
/// [`BROWSER_TOOLCHAIN`] and [`BROWSER_RUSTFLAGS`]) in `target/browser`;
/// returns the `.wasm`. Its own target directory keeps these artifacts apart
/// from stable's.
pub fn build_wasm(package: &str) -> Result<PathBuf> {
    build_wasm_with(package, "browser", BROWSER_RUSTFLAGS, Lint::No)
}

/// [`build_wasm`] in `target/<folder>` with `rustflags`.
fn build_wasm_with(package: &str, folder: &str, rustflags: &str, lint: Lint) -> Result<PathBuf> {
    let root = paths::root();
    let target_dir = root.join("target").join(folder);
    let mut build = Command::new("cargo");
    if let Lint::Yes = lint {
        lints::denying_warnings(&mut build);
    }
    run(build
        .arg(format!("+{BROWSER_TOOLCHAIN}"))
        .args([
            "build",
            "--release",
            "--lib",
            "-p",
            package,
            "--target",
            WASM_TARGET,
            "-Zbuild-std=std,panic_abort",
            "-Zbuild-std-features=optimize_for_size",
        ])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", rustflags)
        // The repository's stable toolchain choice must not override `+nightly`.
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(&root))?;
    Ok(target_dir
        .join(WASM_TARGET)
        .join("release")
        .join(format!("{}.wasm", package.replace('-', "_"))))
}

/// wasm-bindgen (`--target web`) of `wasm` into `out`, then `wasm-opt -Oz` of the
/// bundle until nothing more shrinks and esbuild's minifier on its JS glue
/// (1.8 KB gzip off the widget's), both in place.
pub fn bind_wasm(wasm: &Path, out: &Path) -> Result {
    bind_wasm_with(wasm, out, &["-Oz", "--converge"])
}

/// [`bind_wasm`] with one `wasm-opt -Oz` pass.
fn bind_wasm_once(wasm: &Path, out: &Path) -> Result {
    bind_wasm_with(wasm, out, &["-Oz"])
}

fn bind_wasm_with(wasm: &Path, out: &Path, passes: &[&str]) -> Result {
    run(Command::new(cargo_bin("wasm-bindgen"))
        .arg(wasm)
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(out))?;
    let stem = wasm
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("{} has no file name", wasm.display()))?;
    let glue = out.join(format!("{stem}.js"));
    minify(&glue, &glue, "--format=esm")?;
    let bundle = out.join(format!("{stem}_bg.wasm"));
    run(Command::new(paths::node_bin("wasm-opt"))
        // `--converge` (until nothing more shrinks): 0.7 KB gzip off the widget.
        .args(passes)
        .args(WASM_OPT_FEATURES)
        .arg(&bundle)
        .arg("-o")
        .arg(&bundle))
}

/// The Worker, bundled by worker-build into `backend/build`.
pub fn build_worker() -> Result {
    cmd::step("Building the Worker (worker-build --release)");
    run(&mut worker_build())
}

/// The Worker's build, linting the Worker and `shared` for wasm as they compile.
pub fn build_worker_linted() -> Result {
    cmd::step("Building the Worker, linted (worker-build --release, clippy -D warnings)");
    run(lints::denying_warnings(&mut worker_build()))
}

fn worker_build() -> Command {
    let mut command = Command::new(cargo_bin("worker-build"));
    command
        .arg("--release")
        .current_dir(paths::backend())
        .env(
            "CARGO_TARGET_DIR",
            paths::root().join("target").join("worker"),
        )
        // worker-build would download these; here they come from our own setup.
        .env("WASM_BINDGEN_BIN", cargo_bin("wasm-bindgen"))
        .env("WASM_OPT_BIN", paths::node_bin("wasm-opt"))
        .env("ESBUILD_BIN", paths::node_bin("esbuild"));
    command
}

/// Copies the files under `from` into `to`, folders and all.
pub fn copy_tree(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| format!("creating {}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .map_err(|e| format!("copying {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}
