//! The demo inbox (`fixtures/inbox`), embedded in the binary: `skm run` with no `--inbox` writes
//! it beside the output (`.OUT.demo/`) and reads it from there, from any folder on any machine.
//! `skm demo` rebuilds `fixtures/inbox` itself from the seeds' tables (`gen/demo.rs`); a test
//! checks that this list holds exactly the files there, byte for byte.

use std::path::Path;

use anyhow::{Context, Result};

/// Every file of the demo inbox: its path inside the inbox and its bytes.
pub const FILES: &[(&str, &[u8])] = &[
    (
        "bagian-organisasi/Capaian IKU Kota 2023.xlsx",
        include_bytes!("../fixtures/inbox/bagian-organisasi/Capaian IKU Kota 2023.xlsx"),
    ),
    (
        "bagian-organisasi/Daftar Nilai IKM.xlsx",
        include_bytes!("../fixtures/inbox/bagian-organisasi/Daftar Nilai IKM.xlsx"),
    ),
    (
        "bagian-organisasi/Rekap IKM Unit Pelayanan Kota Bekasi 2024.xlsx",
        include_bytes!(
            "../fixtures/inbox/bagian-organisasi/Rekap IKM Unit Pelayanan Kota Bekasi 2024.xlsx"
        ),
    ),
    (
        "kec-bekasi-timur/Rekap SKM Bekasi Timur TW III-IV 2024.xlsx",
        include_bytes!(
            "../fixtures/inbox/kec-bekasi-timur/Rekap SKM Bekasi Timur TW III-IV 2024.xlsx"
        ),
    ),
    (
        "kec-bekasi-timur/ikm_bekasi_timur_semester1_2024.csv",
        include_bytes!("../fixtures/inbox/kec-bekasi-timur/ikm_bekasi_timur_semester1_2024.csv"),
    ),
    (
        "kec-medansatria/Survei Kepuasan Masyarakat 2024 (Jawaban).xlsx",
        include_bytes!(
            "../fixtures/inbox/kec-medansatria/Survei Kepuasan Masyarakat 2024 (Jawaban).xlsx"
        ),
    ),
    (
        "kec-mustikajaya/LAKIP Kecamatan Mustikajaya 2024 Rencana Tindak Lanjut.xlsx",
        include_bytes!(
            "../fixtures/inbox/kec-mustikajaya/LAKIP Kecamatan Mustikajaya 2024 Rencana Tindak Lanjut.xlsx"
        ),
    ),
    (
        "kec-mustikajaya/skm_mustikajaya_tw4_2024.csv",
        include_bytes!("../fixtures/inbox/kec-mustikajaya/skm_mustikajaya_tw4_2024.csv"),
    ),
    (
        "setda/Anggaran Setda 2024 per sub kegiatan.xlsx",
        include_bytes!("../fixtures/inbox/setda/Anggaran Setda 2024 per sub kegiatan.xlsx"),
    ),
    (
        "setda/Hasil SKM Setda 2024.xlsx",
        include_bytes!("../fixtures/inbox/setda/Hasil SKM Setda 2024.xlsx"),
    ),
];

/// Writes the demo inbox into `dir`, leaving files that already hold the same bytes untouched
/// (so their modification time, and an incremental run's stat index, stay valid), and removing
/// files that are not part of it.
pub fn write_to(dir: &Path) -> Result<()> {
    for (rel, bytes) in FILES {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|b| b == *bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    remove_strays(dir, dir)
}

fn remove_strays(root: &Path, dir: &Path) -> Result<()> {
    for e in std::fs::read_dir(dir)?.flatten() {
        let p = e.path();
        if e.file_type()?.is_dir() {
            remove_strays(root, &p)?;
            continue;
        }
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        if !FILES.iter().any(|(f, _)| *f == rel) {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded list is exactly fixtures/inbox, byte for byte.
    #[test]
    fn embedded_files_are_the_fixture_inbox() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e
                        .path()
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .to_string();
                    on_disk.push((rel, std::fs::read(e.path()).unwrap()));
                }
            }
        }
        on_disk.sort();
        let embedded: Vec<(String, Vec<u8>)> = FILES
            .iter()
            .map(|(f, b)| (f.to_string(), b.to_vec()))
            .collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn written_twice_is_unchanged_and_strays_go() {
        let d = tempfile::tempdir().unwrap();
        write_to(d.path()).unwrap();
        let first = FILES[0].0;
        let t0 = std::fs::metadata(d.path().join(first))
            .unwrap()
            .modified()
            .unwrap();
        std::fs::write(d.path().join("stray.csv"), "x").unwrap();
        write_to(d.path()).unwrap();
        let t1 = std::fs::metadata(d.path().join(first))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(t0, t1);
        assert!(!d.path().join("stray.csv").exists());
    }
}
