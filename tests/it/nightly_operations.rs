//! The night nobody watches (issue 28): every exit path answers in JSON that matches
//! `schemas/run_summary.schema.json`; a forgotten `--inbox` never publishes the demo; a PDF
//! that fails still publishes, asking for attention; `--fail-on-rejects` is green on a rerun
//! after a night with rejects; late units are named after a deadline and not on its day, at the
//! office's time zone; the history grows by one row a run, a failed run included; the future
//! date rule follows the office's day.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::{read, skm_command};

const SCHEMA: &str = include_str!("../../schemas/run_summary.schema.json");

/// `value` against a JSON Schema (the keywords the schema uses: type, required, properties,
/// items, enum); the first violation, with where it is.
fn validate(v: &Value, s: &Value, at: &str) -> Result<(), String> {
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(x) => vec![x.as_str()],
            Value::Array(xs) => xs.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            return Err(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            return Err(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let (Some(req), Some(o)) = (s.get("required").and_then(Value::as_array), v.as_object()) {
        for k in req.iter().filter_map(Value::as_str) {
            if !o.contains_key(k) {
                return Err(format!("{at}: '{k}' is missing"));
            }
        }
    }
    if let (Some(props), Some(o)) = (
        s.get("properties").and_then(Value::as_object),
        v.as_object(),
    ) {
        for (k, ps) in props {
            if let Some(x) = o.get(k) {
                validate(x, ps, &format!("{at}.{k}"))?;
            }
        }
    }
    if let (Some(items), Some(a)) = (s.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate() {
            validate(x, items, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// Runs `skm run --json` with `args` and `env`; the exit code and the JSON, checked against
/// the schema (and its times as RFC 3339 in UTC).
fn run_json(args: &[&str], env: &[(&str, &str)]) -> (i32, Value, Output) {
    let mut c = skm_command();
    c.arg("run").arg("--json").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    let code = o.status.code().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "exit {code}: not one JSON object ({e}): {text}\n{}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    validate(&v, &schema, "$").unwrap_or_else(|e| panic!("exit {code}: {e}\n{v}"));
    assert_eq!(v["exit_code"], code, "{v}");
    for k in ["started", "finished"] {
        let t = v[k].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(t).is_ok() && t.ends_with('Z'),
            "{k}: {t}"
        );
    }
    (code, v, o)
}

/// A questionnaire CSV of `unit` with one row per (date, answers).
fn csv(path: &Path, unit: &str, rows: &[(&str, [&str; 9])]) {
    let mut s = String::from("Unit Layanan,Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n");
    for (d, a) in rows {
        s.push_str(&format!("{unit},{d},{}\n", a.join(",")));
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, s).unwrap();
}

const GOOD: [&str; 9] = ["3", "4", "3", "4", "3", "3", "4", "3", "3"];
const BAD: [&str; 9] = ["3", "4", "7", "4", "3", "3", "4", "3", "3"];

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// An inbox of one good file of Bekasi Timur (`timur.csv`) and an output folder beside it.
fn one_good_file() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    csv(
        &inbox.join("timur.csv"),
        "Kecamatan Bekasi Timur",
        &[("01/10/2024", GOOD), ("02/10/2024", GOOD)],
    );
    (tmp, inbox, out)
}

#[test]
fn every_exit_path_answers_in_json_and_a_forgotten_inbox_never_publishes_the_demo() {
    let (tmp, inbox, out) = one_good_file();

    // 2: --out without --inbox is a usage error; nothing is written there, the demo least.
    let (code, v, _) = run_json(&["--out", s(&out)], &[]);
    assert_eq!((code, v["status"].as_str()), (2, Some("salah_penggunaan")));
    assert!(v["error"].as_str().unwrap().contains("--inbox"), "{v}");
    assert!(!out.exists() && !tmp.path().join(".out.demo").exists());
    // 2: a command line clap refuses still answers in JSON.
    let (code, _, _) = run_json(&["--inbox", s(&inbox), "--no-such-flag"], &[]);
    assert_eq!(code, 2);

    // 0: published.
    let (code, v, _) = run_json(&["--inbox", s(&inbox), "--out", s(&out)], &[]);
    assert_eq!((code, v["status"].as_str()), (0, Some("selesai")), "{v}");
    assert!(v["run_id"].as_str().is_some_and(|r| !r.is_empty()));

    // 3: a night with a rejected row and --fail-on-rejects …
    csv(
        &inbox.join("utara.csv"),
        "Kecamatan Bekasi Utara",
        &[
            ("03/10/2024", GOOD),
            ("04/10/2024", BAD),
            ("05/10/2024", GOOD),
        ],
    );
    let (code, v, _) = run_json(
        &["--inbox", s(&inbox), "--out", s(&out), "--fail-on-rejects"],
        &[],
    );
    assert_eq!(
        (code, v["status"].as_str()),
        (3, Some("selesai_dengan_penolakan")),
        "{v}"
    );
    // … and the next night, nothing new: green, though the reject is still in rejects.parquet.
    let (code, v, _) = run_json(
        &["--inbox", s(&inbox), "--out", s(&out), "--fail-on-rejects"],
        &[],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(read(&out.join("rejects.parquet")).len(), 1);

    // 6: a file refused as a whole (no unit anywhere): published, but needs attention.
    std::fs::write(
        inbox.join("data.csv"),
        "Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n06/10/2024,3,3,3,3,3,3,3,3,3\n",
    )
    .unwrap();
    let (code, v, _) = run_json(&["--inbox", s(&inbox), "--out", s(&out)], &[]);
    assert_eq!(
        (code, v["status"].as_str()),
        (6, Some("perlu_perhatian")),
        "{v}"
    );
    assert!(
        v["attention"][0].as_str().unwrap().contains("data.csv"),
        "{v}"
    );
    assert_eq!(v["not_used"][0]["this_run"], true);
    // The next night it is no longer news: exit 0, still listed.
    let (code, v, _) = run_json(&["--inbox", s(&inbox), "--out", s(&out)], &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["not_used"][0]["this_run"], false);

    // 4: another run holds the output.
    let mut holder = skm_command()
        .args(["run", "--inbox", s(&inbox), "--out", s(&out)])
        .env("SKM_HOLD_LOCK_MS", "4000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let (code, v, _) = run_json(&["--inbox", s(&inbox), "--out", s(&out)], &[]);
    assert_eq!((code, v["status"].as_str()), (4, Some("terkunci")), "{v}");
    assert!(holder.wait().unwrap().success());

    // 5: the database cannot be reached; the files are published all the same.
    let (code, v, _) = run_json(
        &[
            "--inbox",
            s(&inbox),
            "--out",
            s(&out),
            "--db",
            "postgresql://skm@127.0.0.1:9/skm",
        ],
        &[("PGPASSWORD", "x"), ("PGCONNECT_TIMEOUT", "5")],
    );
    assert_eq!(
        (code, v["status"].as_str()),
        (5, Some("gagal_basis_data")),
        "{v}"
    );

    // 1: the run folder cannot be written (a file where .out.runs should be).
    let out2 = tmp.path().join("out2");
    std::fs::write(tmp.path().join(".out2.runs"), "").unwrap();
    let (code, v, _) = run_json(&["--inbox", s(&inbox), "--out", s(&out2)], &[]);
    assert_eq!((code, v["status"].as_str()), (1, Some("gagal")), "{v}");
    assert!(v["error"].as_str().is_some());

    // Every run that got as far as its output is in the history (usage errors aside), the
    // run that held the lock before the one it turned away.
    let codes = history_codes(&out);
    assert_eq!(codes, vec![0, 3, 0, 6, 0, 0, 4, 5], "{codes:?}");
}

/// A night whose inbox holds no file (its share not mounted, its files moved: a hidden file
/// and an Office lock file left) fails with exit 1, naming the inbox, and the last night's
/// outputs stay published: it had published empty tables over them with exit 0.
#[test]
fn an_inbox_holding_no_file_fails_and_the_last_outputs_stay() {
    let (_tmp, inbox, out) = one_good_file();
    let (code, _, _) = run_json(&["--inbox", s(&inbox), "--out", s(&out)], &[]);
    assert_eq!(code, 0);
    let before = read(&out.join("gold/ikm_unit.parquet")).len();
    assert!(before > 0);
    std::fs::remove_file(inbox.join("timur.csv")).unwrap();
    std::fs::create_dir_all(inbox.join("kecamatan-bekasi-timur")).unwrap();
    std::fs::write(inbox.join(".DS_Store"), "x").unwrap();
    std::fs::write(inbox.join("kecamatan-bekasi-timur/~$rekap.xlsx"), "x").unwrap();
    let (code, v, _) = run_json(&["--inbox", s(&inbox), "--out", s(&out)], &[]);
    assert_eq!((code, v["status"].as_str()), (1, Some("gagal")), "{v}");
    let error = v["error"].as_str().unwrap();
    assert!(
        error.contains(s(&inbox)) && error.contains("holds no file") && error.contains("stay"),
        "{error}"
    );
    assert_eq!(read(&out.join("gold/ikm_unit.parquet")).len(), before);
}

/// The exit codes of the history beside `out`, oldest first, as `skm sql` reads them.
fn history_codes(out: &Path) -> Vec<i64> {
    let csv_out = out.parent().unwrap().join(format!(
        "history-{}.csv",
        out.file_name().unwrap().to_string_lossy()
    ));
    let o = skm_command()
        .args([
            "sql",
            "--dir",
            s(out),
            "--out",
            s(&csv_out),
            "SELECT exit_code FROM runs ORDER BY mulai, run_id",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(&csv_out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

#[test]
fn the_history_grows_by_one_row_a_run_a_failed_one_included_and_each_run_has_its_log() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    csv(
        &inbox.join("timur.csv"),
        "Kecamatan Bekasi Timur",
        &[("01/10/2024", GOOD)],
    );
    let config = tmp.path().join("skm.toml");
    std::fs::write(
        &config,
        format!(
            "[jalan]\ninbox = \"{}\"\nout = \"{}\"\n",
            s(&inbox),
            s(&out)
        ),
    )
    .unwrap();
    let runs = tmp.path().join(".out.runs");
    let mut want = Vec::new();
    for night in 0..5 {
        let broken = night == 3;
        if broken {
            // The disk under the runs is gone: the run fails (exit 1) and says so.
            std::fs::rename(&runs, tmp.path().join("aside")).unwrap();
            std::fs::write(&runs, "").unwrap();
        }
        let o = skm_command()
            .args(["run", "--quiet", "--config", s(&config)])
            .output()
            .unwrap();
        let code = o.status.code().unwrap();
        want.push(if broken { 1 } else { 0 });
        assert_eq!(
            code as i64,
            *want.last().unwrap(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        // --quiet: no summary; on standard error only the final line (and warnings).
        assert!(o.stdout.is_empty());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.lines()
                .last()
                .is_some_and(|l| l.contains(&format!("exit {code}"))),
            "{err}"
        );
        if broken {
            std::fs::remove_file(&runs).unwrap();
            std::fs::rename(tmp.path().join("aside"), &runs).unwrap();
        }
        assert_eq!(history_codes(&out).len(), night + 1);
    }
    assert_eq!(history_codes(&out), want);
    // One log per run, every line stamped in UTC.
    let logs: Vec<PathBuf> = std::fs::read_dir(tmp.path().join(".out.history/log"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 5);
    let (mut read, mut reused) = (0, 0);
    for l in logs {
        let text = std::fs::read_to_string(&l).unwrap();
        // Each file once read, and how (`files.cara_baca`): the first night read it, the
        // others took it from the cache as it was read.
        read += text.contains(" INFO [1/1] timur.csv (bertahap_csv)\n") as usize;
        reused += text.contains(" INFO [1/1] timur.csv (bertahap_csv, reused)\n") as usize;
        assert!(text.lines().count() >= 2, "{text}");
        for line in text.lines() {
            let stamp = line.split(' ').next().unwrap();
            assert!(
                chrono::DateTime::parse_from_rfc3339(stamp).is_ok() && stamp.ends_with('Z'),
                "{line}"
            );
        }
    }
    assert_eq!(
        (read, reused),
        (1, 3),
        "nights that read timur.csv, and that reused it"
    );
}

#[test]
fn a_pdf_that_fails_still_publishes_and_asks_for_attention() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let fake = tmp.path().join("chromium");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho 'chromium: cannot open display' >&2\nexit 1\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (code, v, _) = run_json(
        &[
            "--pdf",
            "--inbox",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox"),
            "--out",
            s(&out),
        ],
        &[("SKM_CHROMIUM", s(&fake))],
    );
    assert_eq!(code, 6, "{v}");
    assert!(
        v["attention"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("PDF")),
        "{v}"
    );
    assert!(out.join("report/skm_2024.html").is_file());
    assert!(out.join("gold/ikm_unit.parquet").is_file());
    assert!(!out.join("report/skm_2024.pdf").exists());
}

/// A registry of three units, for deadlines that name units one by one.
fn three_units(dir: &Path) -> PathBuf {
    let p = dir.join("units.tsv");
    std::fs::write(
        &p,
        "unit_id\tunit_nama\tjenis_unit\nkecamatan-bekasi-timur\tKecamatan Bekasi Timur\tkecamatan\n\
         kecamatan-bekasi-utara\tKecamatan Bekasi Utara\tkecamatan\nkecamatan-medansatria\tKecamatan Medansatria\tkecamatan\n",
    )
    .unwrap();
    p
}

#[test]
fn late_units_are_named_after_a_deadline_at_the_offices_day_and_semester_units_are_not_late_for_a_quarter(
) {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    // Timur sent TW1 2025; Utara nothing; Medansatria surveys by semester.
    csv(
        &inbox.join("timur.csv"),
        "Kecamatan Bekasi Timur",
        &[("15/02/2025", GOOD), ("16/02/2025", GOOD)],
    );
    let units = three_units(tmp.path());
    let config = |zone: &str| {
        let p = tmp
            .path()
            .join(format!("skm-{}.toml", zone.replace('/', "-")));
        std::fs::write(
            &p,
            format!("[kantor]\nzona_waktu = \"{zone}\"\n[tenggat]\ntahun = [2025]\n[tenggat.unit.kecamatan-medansatria]\nperiode = [\"S1\", \"S2\"]\n"),
        )
        .unwrap();
        p
    };
    let (jakarta, utc) = (config("Asia/Jakarta"), config("UTC"));
    let run = |cfg: &Path, now: &str, out: &str| {
        run_json(
            &[
                "--inbox",
                s(&inbox),
                "--out",
                s(&tmp.path().join(out)),
                "--units",
                s(&units),
                "--config",
                s(cfg),
            ],
            &[("SKM_NOW", now)],
        )
    };
    // On the due day (10 April, 19:00 in Jakarta) nobody is late.
    let (code, v, _) = run(&jakarta, "2025-04-10T12:00:00Z", "a");
    assert_eq!(
        (code, v["late_units"].as_array().unwrap().len()),
        (0, 0),
        "{v}"
    );
    // 17:30 UTC is 00:30 on 11 April in Jakarta: Utara is late for TW1, Medansatria is not.
    let (code, v, o) = run(&jakarta, "2025-04-10T17:30:00Z", "b");
    assert_eq!(code, 6, "{v}");
    let late: Vec<[String; 3]> = late_of(&v, ["unit_id", "periode", "tenggat"]);
    assert_eq!(
        late,
        vec![["kecamatan-bekasi-utara", "TW1", "2025-04-10"].map(String::from)]
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("Kecamatan Bekasi Utara TW1 2025"));
    let gold = read(&tmp.path().join("b/gold/unit_terlambat.parquet"));
    assert_eq!(
        gold.str("unit_id"),
        vec![Some("kecamatan-bekasi-utara".to_string())]
    );
    assert_eq!(gold.i64("hari_terlambat"), vec![Some(1)]);
    // On the city report's first screen, before the city figure.
    let page = std::fs::read_to_string(tmp.path().join("b/report/skm_2025.html")).unwrap();
    let (late_at, city_at) = (
        page.find("id=\"terlambat\"").unwrap(),
        page.find("id=\"kota\"").unwrap(),
    );
    assert!(late_at < city_at && page[late_at..city_at].contains("Kecamatan Bekasi Utara"));
    // The same instant in an office on UTC is still 10 April.
    let (code, v, _) = run(&utc, "2025-04-10T17:30:00Z", "c");
    assert_eq!(
        (code, v["late_units"].as_array().unwrap().len()),
        (0, 0),
        "{v}"
    );
    // After S1's deadline (10 July), Medansatria is late for S1 and Utara for TW1 and TW2.
    let (_, v, _) = run(&jakarta, "2025-07-11T03:00:00Z", "d");
    let late: Vec<[String; 2]> = late_of(&v, ["unit_id", "periode"]);
    assert_eq!(
        late,
        [
            ["kecamatan-bekasi-timur", "TW2"],
            ["kecamatan-bekasi-utara", "TW1"],
            ["kecamatan-bekasi-utara", "TW2"],
            ["kecamatan-medansatria", "S1"],
        ]
        .map(|x| x.map(String::from))
    );
}

/// The named fields of `--json`'s late units, in order.
fn late_of<const N: usize>(v: &Value, fields: [&str; N]) -> Vec<[String; N]> {
    v["late_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| fields.map(|f| l[f].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn the_future_date_rule_uses_the_offices_day() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    csv(
        &inbox.join("timur.csv"),
        "Kecamatan Bekasi Timur",
        &[("15/10/2024", GOOD), ("16/10/2024", GOOD)],
    );
    let utc = tmp.path().join("utc.toml");
    std::fs::write(&utc, "[kantor]\nzona_waktu = \"UTC\"\n").unwrap();
    // 18:00 UTC on the 15th is 01:00 on the 16th in Jakarta: the 16th is today, not the future.
    let now = ("SKM_NOW", "2024-10-15T18:00:00Z");
    let (_, v, _) = run_json(
        &["--inbox", s(&inbox), "--out", s(&tmp.path().join("wib"))],
        &[now],
    );
    assert_eq!(
        (v["accepted"].as_i64(), v["rejected"].as_i64()),
        (Some(2), Some(0)),
        "{v}"
    );
    let (_, v, _) = run_json(
        &[
            "--inbox",
            s(&inbox),
            "--out",
            s(&tmp.path().join("utc")),
            "--config",
            s(&utc),
        ],
        &[now],
    );
    assert_eq!(
        (v["accepted"].as_i64(), v["rejected"].as_i64()),
        (Some(1), Some(1)),
        "{v}"
    );
    let r = read(&tmp.path().join("utc/rejects.parquet"));
    assert_eq!(
        r.str("kode"),
        vec![Some("tanggal_di_masa_depan".to_string())]
    );
}
