//! Which build of skm is running: its version and a hash of its own executable.
//!
//! The incremental cache is keyed on the build (`silver::fingerprint`), so that after an
//! upgrade every file is read once more by the new code and a fix reaches files read before
//! it. The version string alone would not do: it stays `0.1.0` through any number of fixes.
//! The executable's BLAKE3 hash changes with any change to the code that reads files. Hashing
//! the ~130 MB release binary costs ~0.1 s of CPU, so the hash is remembered per executable
//! (its path, size, modification time and inode) in `$XDG_CACHE_HOME/skm/build-ids` (else
//! `~/.cache/skm/build-ids`): a new or replaced executable is hashed once, then only stat'ed.
//! Where that folder cannot be written, every process hashes it (streamed in 1 MiB blocks).

use std::io::Read;
use std::sync::OnceLock;

/// skm's version (Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The first 16 hex digits of the running executable's BLAKE3 hash, or `unknown-<version>`
/// when the executable cannot be read (then the cache is keyed on the version alone, as
/// before, and the run history says so).
pub fn build() -> &'static str {
    static BUILD: OnceLock<String> = OnceLock::new();
    BUILD.get_or_init(|| match remembered_or_hashed() {
        Ok(h) => h,
        Err(_) => format!("unknown-{VERSION}"),
    })
}

/// What identifies the executable file without reading it: path, size, mtime, inode.
fn stat_key(exe: &std::path::Path) -> std::io::Result<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(exe)?;
    Ok(format!(
        "{}\t{}\t{}.{}\t{}",
        exe.display(),
        m.size(),
        m.mtime(),
        m.mtime_nsec(),
        m.ino()
    ))
}

fn remembered_or_hashed() -> std::io::Result<String> {
    let exe = std::env::current_exe()?;
    let key = stat_key(&exe)?;
    let store = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache")))
        .map(|d| d.join("skm").join("build-ids"));
    let known = store
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    if let Some(h) = known
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}\t")))
    {
        return Ok(h.to_string());
    }
    let h = hash_executable(&exe)?;
    if let Some(p) = store {
        // The newest 20 executables are remembered; a failed write only costs the next hash.
        let mut lines: Vec<&str> = known.lines().rev().take(19).collect();
        lines.reverse();
        let text = format!(
            "{}{key}\t{h}\n",
            lines.iter().map(|l| format!("{l}\n")).collect::<String>()
        );
        let tmp = p.with_extension(format!("tmp{}", std::process::id()));
        let _ = std::fs::create_dir_all(p.parent().unwrap_or(&p))
            .and_then(|_| std::fs::write(&tmp, text))
            .and_then(|_| std::fs::rename(&tmp, &p));
    }
    Ok(h)
}

fn hash_executable(exe: &std::path::Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(exe)?;
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
