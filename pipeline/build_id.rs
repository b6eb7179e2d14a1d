//! Which build of skm is running: its version and a hash of its own executable.
//!
//! The incremental cache is keyed on the build (`silver::fingerprint`), so that after an
//! upgrade every file is read once more by the new code and a fix reaches files read before
//! it. The version string alone would not do: it stays `0.1.0` through any number of fixes.
//! The executable's BLAKE3 hash changes with any change to the code that reads files; it is
//! computed once per process, streamed in 1 MiB blocks (a release binary: a few tens of ms).

use std::io::Read;
use std::sync::OnceLock;

/// skm's version (Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The first 16 hex digits of the running executable's BLAKE3 hash, or `unknown-<version>`
/// when the executable cannot be read (then the cache is keyed on the version alone, as
/// before, and the run history says so).
pub fn build() -> &'static str {
    static BUILD: OnceLock<String> = OnceLock::new();
    BUILD.get_or_init(|| match hash_executable() {
        Ok(h) => h,
        Err(_) => format!("unknown-{VERSION}"),
    })
}

fn hash_executable() -> std::io::Result<String> {
    let mut f = std::fs::File::open(std::env::current_exe()?)?;
    let mut h = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().to_hex()[..16].to_string())
}
