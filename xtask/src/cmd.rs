//! Running external commands visibly: each step says what it runs, so a long
//! first setup never looks hung, and a failure says which command failed.

use std::process::Command;
use std::time::Instant;

pub type Result<T = ()> = std::result::Result<T, String>;

/// Prints a step heading.
pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}

/// Runs `cmd` with inherited output; an error names the command and its status.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("    $ {}", shown.replace('"', ""));
    let started = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        eprintln!("    ({:.1}s)", started.elapsed().as_secs_f64());
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Runs `cmd` and returns its standard output, or `None` if it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
