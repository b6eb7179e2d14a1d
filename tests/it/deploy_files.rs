//! The scheduling files an operator copies (issue 28, docs/operations.md): the systemd service,
//! timer and notifier parse, name what they must (the configured run, a mail on failure, a
//! persistent nightly timer), and pass `systemd-analyze verify` where systemd's tools are
//! installed; the cron line runs the same command; the example configuration is one skm reads,
//! with no password in it.

use std::collections::BTreeMap;
use std::path::Path;

fn deploy(p: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(p)).unwrap()
}

/// A unit file as sections of `key → values` (a key may repeat).
fn unit(text: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.to_string();
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("not key=value: {line}"));
        assert!(!section.is_empty(), "{line} before any section");
        out.entry(section.clone())
            .or_default()
            .entry(k.trim().to_string())
            .or_default()
            .push(v.trim().to_string());
    }
    out
}

#[test]
fn the_systemd_units_and_cron_line_run_the_configured_night_and_mail_on_failure() {
    let service = unit(&deploy("systemd/skm.service"));
    let exec = &service["Service"]["ExecStart"][0];
    assert!(
        exec.starts_with("/usr/local/bin/skm run --config /etc/skm/skm.toml"),
        "{exec}"
    );
    assert_eq!(service["Service"]["Type"], vec!["oneshot"]);
    assert_eq!(service["Unit"]["OnFailure"], vec!["skm-notify@%n.service"]);
    assert!(
        !service["Service"].contains_key("SuccessExitStatus"),
        "exit 6 mails by default"
    );
    let timer = unit(&deploy("systemd/skm.timer"));
    assert_eq!(timer["Timer"]["Persistent"], vec!["true"]);
    assert_eq!(timer["Timer"]["Unit"], vec!["skm.service"]);
    assert!(timer["Timer"]["OnCalendar"][0].contains("01:30"));
    assert_eq!(timer["Install"]["WantedBy"], vec!["timers.target"]);
    let notify = unit(&deploy("systemd/skm-notify@.service"));
    assert!(notify["Service"]["ExecStart"][0].contains("journalctl --unit=%i"));
    let cron = deploy("cron/skm");
    let line = cron
        .lines()
        .find(|l| !l.starts_with('#') && l.contains("skm run"))
        .unwrap();
    assert!(
        line.contains("/usr/local/bin/skm run --config /etc/skm/skm.toml --quiet"),
        "{line}"
    );
    assert_eq!(
        line.split_whitespace().take(5).collect::<Vec<_>>(),
        ["30", "1", "*", "*", "*"]
    );

    // systemd's own check, with the binary where the test built it.
    if let Ok(o) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    {
        if o.status.success() {
            let tmp = tempfile::tempdir().unwrap();
            for f in ["skm.service", "skm.timer", "skm-notify@.service"] {
                let text = deploy(&format!("systemd/{f}"))
                    .replace("/usr/local/bin/skm", env!("CARGO_BIN_EXE_skm"));
                std::fs::write(tmp.path().join(f), text).unwrap();
            }
            let o = std::process::Command::new("systemd-analyze")
                .arg("verify")
                .args(
                    ["skm.service", "skm.timer", "skm-notify@.service"].map(|f| tmp.path().join(f)),
                )
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "systemd-analyze verify: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
}

#[test]
fn the_example_configuration_is_read_and_holds_no_password() {
    let text = deploy("skm.toml");
    let c = skm::config::Config::parse(&text).unwrap();
    assert_eq!(c.jalan.inbox.as_deref(), Some(Path::new("/srv/skm/inbox")));
    assert_eq!(c.jalan.out.as_deref(), Some(Path::new("/srv/skm/out")));
    assert_eq!(c.kantor.zona_waktu, "Asia/Jakarta");
    let url = c.basis_data.url.clone().unwrap();
    let user = url
        .trim_start_matches("postgresql://")
        .split('@')
        .next()
        .unwrap();
    assert!(!user.contains(':'), "a password in {url}");
    assert!(!text.to_lowercase().contains("password ="));
    assert_eq!(
        c.expected_periods("kecamatan-medansatria"),
        vec![skm::domain::Periode::S1, skm::domain::Periode::S2]
    );
    assert!(c
        .unknown_units(&skm::registry::Registry::embedded())
        .is_empty());
}
