// Shared by the csv and xlsx targets: write the bytes as a file and normalize it.
use std::sync::OnceLock;

pub fn check(data: &[u8], name: &str) {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    let files = vec![skm::ingest::InboxFile {
        path,
        rel: name.to_string(),
        link: false,
    }];
    let config = skm::config::Config::default();
    let registry = registry();
    let n = skm::normalize::normalize_files(&files, &config, registry).unwrap();
    for f in &n.files {
        assert_eq!(f.rows_read(), f.accepted() + f.rejected());
    }
}

fn registry() -> &'static skm::registry::Registry {
    static R: OnceLock<skm::registry::Registry> = OnceLock::new();
    R.get_or_init(skm::registry::Registry::embedded)
}
