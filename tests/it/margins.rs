//! Every figure from respondents with its margin of error (issue 30, docs/DOMAIN.md §1.12): the
//! standard errors in gold equal an independent computation here, from silver's rows read back
//! with arrow-rs — the closed forms where nobody left an answer blank, the linearization
//! computed respondent by respondent where some did — for every wave, the yearly rules (from the
//! waves' errors and each wave's weight under the rule), the population correction, and the
//! city and kecamatan figures that carry their units' errors.

use crate::common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use skm::config::Config;
use skm::domain::UNSUR;
use skm::registry::Registry;

const Z95: f64 = 1.959963984540054;

/// A questionnaire CSV of `rows` respondents for one unit and period, answers 1–4 drawn from a
/// seeded generator, each left blank with probability `blank` per mille.
fn questionnaire(path: &Path, unit: &str, periode: &str, rows: usize, seed: u64, blank: u64) {
    let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut text = String::from(
        "Unit Layanan;Periode;Tahun;Jenis Kelamin;Pendidikan;U1;U2;U3;U4;U5;U6;U7;U8;U9\n",
    );
    for r in 0..rows {
        // A respondent's general mood, then each answer around it: answers correlate, as real
        // ones do, so the IKM's error is not the NRR's alone.
        let mood = next() % 3;
        let answers: Vec<String> = (0..9)
            .map(|_| {
                let v = next();
                if v % 1000 < blank {
                    String::new()
                } else {
                    (1 + (mood + (v / 1000) % 2).min(3)).to_string()
                }
            })
            .collect();
        let jk = ["Laki-laki", "Perempuan"][r % 2];
        let _ = writeln!(text, "{unit};{periode};2024;{jk};SMA;{}", answers.join(";"));
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The respondents of each unit and period in silver: their nine answers.
type Waves = BTreeMap<(String, String), Vec<[Option<i64>; 9]>>;

fn silver_waves(out: &Path) -> Waves {
    let t = common::read_silver(out, 2024);
    let (id, per) = (t.str("unit_id"), t.str("periode"));
    let cols: Vec<Vec<Option<i64>>> = UNSUR.iter().map(|u| t.i64(u.key)).collect();
    let mut w = Waves::new();
    for i in 0..t.len() {
        let key = (id[i].clone().unwrap(), per[i].clone().unwrap());
        w.entry(key)
            .or_default()
            .push(std::array::from_fn(|k| cols[k][i]));
    }
    w
}

/// The linearized variance computed respondent by respondent: n/(n−1) Σ z_i², z_i = Σ_k w_k
/// (y_ik − R_k a_ik) / n_k.
fn direct(rows: &[[Option<i64>; 9]], w: &dyn Fn(usize) -> f64) -> f64 {
    let n = rows.len() as f64;
    let answers = |k: usize| rows.iter().filter_map(move |r| r[k]);
    let nk: Vec<f64> = (0..9).map(|k| answers(k).count() as f64).collect();
    let r: Vec<f64> = (0..9)
        .map(|k| answers(k).sum::<i64>() as f64 / nk[k])
        .collect();
    let z2: f64 = rows
        .iter()
        .map(|row| {
            let z: f64 = (0..9)
                .filter_map(|k| row[k].map(|y| w(k) * (y as f64 - r[k]) / nk[k]))
                .sum();
            z * z
        })
        .sum();
    n / (n - 1.0) * z2
}

fn ikm_var(rows: &[[Option<i64>; 9]]) -> f64 {
    direct(rows, &|_| 25.0 / 9.0)
}

fn sample_sd(xs: &[f64]) -> f64 {
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
}

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what}: no standard error"));
    assert!(
        (a - b).abs() <= 1e-9 * b.max(1.0),
        "{what}: skm {a}, here {b}"
    );
}

#[test]
fn every_figures_standard_error_equals_a_direct_computation() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    let registry = Registry::embedded();
    let units: Vec<_> = registry
        .service_units()
        .filter(|u| u.jenis_unit != "kecamatan")
        .take(3)
        .collect();
    let (a, b, c) = (&units[0], &units[1], &units[2]);
    let d = registry
        .service_units()
        .find(|u| u.jenis_unit == "kecamatan")
        .unwrap();
    // a: four quarters with blanks, semester rule (the default), a population of 500.
    for (p, n, seed) in [
        ("TW1", 40, 1),
        ("TW2", 35, 2),
        ("TW3", 60, 3),
        ("TW4", 12, 4),
    ] {
        questionnaire(&inbox.join(format!("a/{p}.csv")), &a.nama, p, n, seed, 40);
    }
    // b: two semesters without a blank, the mean rule; c: one respondent (no error).
    questionnaire(&inbox.join("b/s1.csv"), &b.nama, "S1", 50, 5, 0);
    questionnaire(&inbox.join("b/s2.csv"), &b.nama, "S2", 30, 6, 0);
    questionnaire(&inbox.join("c/tw2.csv"), &c.nama, "TW2", 1, 7, 0);
    // d: a kecamatan office, two semesters with a few blanks.
    questionnaire(&inbox.join("d/s1.csv"), &d.nama, "S1", 80, 8, 20);
    questionnaire(&inbox.join("d/s2.csv"), &d.nama, "S2", 70, 9, 20);
    let config = format!(
        "[tahun.unit.{}]\naturan = \"mean\"\n[populasi]\n{} = 500\n",
        b.unit_id, a.unit_id
    );
    let out = tmp.path().join("out");
    common::run_with(&inbox, &out, Config::parse(&config).unwrap());

    let waves = silver_waves(&out);
    let ikm = common::read(&out.join("gold/ikm_unit.parquet"));
    let nrr = common::read(&out.join("gold/nrr_unsur.parquet"));
    let (id, per, se) = (ikm.str("unit_id"), ikm.str("periode"), ikm.f64("ikm_se"));
    let (lo, hi, v) = (ikm.f64("ikm_bawah"), ikm.f64("ikm_atas"), ikm.f64("ikm"));
    let at = |u: &str, p: &str| {
        (0..ikm.len())
            .find(|&i| id[i].as_deref() == Some(u) && per[i].as_deref() == Some(p))
            .unwrap_or_else(|| panic!("no ikm_unit row {u} {p}"))
    };
    let (nid, nper, nkode, nse) = (
        nrr.str("unit_id"),
        nrr.str("periode"),
        nrr.str("kode"),
        nrr.f64("nrr_se"),
    );
    let nrr_se = |u: &str, p: &str, k: usize| {
        let kode = format!("U{}", k + 1);
        let i = (0..nrr.len())
            .find(|&i| {
                nid[i].as_deref() == Some(u)
                    && nper[i].as_deref() == Some(p)
                    && nkode[i].as_deref() == Some(kode.as_str())
            })
            .unwrap();
        nse[i]
    };
    let fpc_a = |n: usize| 1.0 - n as f64 / 500.0;

    // a's waves: the linearization with blanks, population-corrected.
    let mut year_a = 0.0;
    for p in ["TW1", "TW2", "TW3", "TW4"] {
        let rows = &waves[&(a.unit_id.clone(), p.to_string())];
        assert!(
            rows.iter().any(|r| r.iter().any(Option::is_none)),
            "{p}: a blank"
        );
        let var = ikm_var(rows) * fpc_a(rows.len());
        let i = at(&a.unit_id, p);
        close(se[i], var.sqrt(), &format!("a {p} ikm_se"));
        close(lo[i], v[i].unwrap() - Z95 * var.sqrt(), "a ikm_bawah");
        close(hi[i], v[i].unwrap() + Z95 * var.sqrt(), "a ikm_atas");
        for k in 0..9 {
            let var_k = direct(rows, &|j| f64::from(u8::from(j == k))) * fpc_a(rows.len());
            close(
                nrr_se(&a.unit_id, p, k),
                var_k.sqrt(),
                &format!("a {p} U{}", k + 1),
            );
        }
        // The semester rule: each half the mean of its two quarters, the year their mean.
        year_a += var / 16.0;
    }
    close(
        se[at(&a.unit_id, "TAHUN")],
        year_a.sqrt(),
        "a TAHUN (semester)",
    );
    // Every rule side by side (ikm_tahun_aturan): mean (a quarter each, as semester here),
    // last (TW4 alone) and pooled (all of a's respondents as one sample).
    let rules = common::read(&out.join("gold/ikm_tahun_aturan.parquet"));
    let (rid, rule, rse) = (
        rules.str("unit_id"),
        rules.str("aturan"),
        rules.f64("ikm_se"),
    );
    let rule_se = |r: &str| {
        (0..rules.len())
            .find(|&i| rid[i].as_deref() == Some(&a.unit_id) && rule[i].as_deref() == Some(r))
            .and_then(|i| rse[i])
    };
    close(rule_se("semester"), year_a.sqrt(), "a semester");
    close(rule_se("mean"), year_a.sqrt(), "a mean");
    let tw4 = &waves[&(a.unit_id.clone(), "TW4".to_string())];
    close(
        rule_se("last"),
        (ikm_var(tw4) * fpc_a(tw4.len())).sqrt(),
        "a last",
    );
    let all: Vec<[Option<i64>; 9]> = ["TW1", "TW2", "TW3", "TW4"]
        .iter()
        .flat_map(|p| waves[&(a.unit_id.clone(), p.to_string())].clone())
        .collect();
    close(
        rule_se("pooled"),
        (ikm_var(&all) * fpc_a(all.len())).sqrt(),
        "a pooled",
    );

    // b without blanks: the closed forms, 25 s(mean answer)/√n and s(answers)/√n.
    let mut year_b = 0.0;
    for p in ["S1", "S2"] {
        let rows = &waves[&(b.unit_id.clone(), p.to_string())];
        let n = rows.len() as f64;
        let means: Vec<f64> = rows
            .iter()
            .map(|r| r.iter().map(|y| y.unwrap() as f64).sum::<f64>() / 9.0)
            .collect();
        let want = 25.0 * sample_sd(&means) / n.sqrt();
        close(se[at(&b.unit_id, p)], want, &format!("b {p} closed form"));
        for k in 0..9 {
            let xs: Vec<f64> = rows.iter().map(|r| r[k].unwrap() as f64).collect();
            close(nrr_se(&b.unit_id, p, k), sample_sd(&xs) / n.sqrt(), "b NRR");
        }
        year_b += want * want / 4.0;
    }
    close(se[at(&b.unit_id, "TAHUN")], year_b.sqrt(), "b TAHUN (mean)");

    // c: one respondent has no measurable error; recap rows (none here) would have none either.
    assert_eq!(se[at(&c.unit_id, "TW2")], None);
    assert_eq!(lo[at(&c.unit_id, "TW2")], None);

    // d, a kecamatan office, by the semester rule: half of each semester.
    let year_d: f64 = ["S1", "S2"]
        .iter()
        .map(|p| ikm_var(&waves[&(d.unit_id.clone(), p.to_string())]) / 4.0)
        .sum();
    close(se[at(&d.unit_id, "TAHUN")], year_d.sqrt(), "d TAHUN");
    // The city: the mean of a, b, c and d, c's figure without an error (one respondent).
    let kota = common::read(&out.join("gold/ikm_kota.parquet"));
    let year_row = |p: &Vec<Option<String>>| {
        (0..p.len())
            .find(|&i| p[i].as_deref() == Some("TAHUN"))
            .unwrap()
    };
    let k = year_row(&kota.str("periode"));
    assert_eq!(kota.i64("n_unit")[k], Some(4));
    let total = year_a + year_b + year_d;
    close(kota.f64("ikm_se")[k], total.sqrt() / 4.0, "city");
    // The kecamatan ranking: d's error, and its gap to the city mean judged with the mean's
    // share of d's own error: (1 − 1/4)² var_d + (the others) / 16.
    let kec = common::read(&out.join("gold/kecamatan.parquet"));
    let (kid, kse, gap) = (
        kec.str("unit_id"),
        kec.f64("ikm_se"),
        kec.f64("selisih_kota"),
    );
    let j = (0..kec.len())
        .find(|&i| kid[i].as_deref() == Some(&d.unit_id))
        .unwrap();
    close(kse[j], year_d.sqrt(), "kecamatan d");
    let city = (0..4)
        .map(|u| v[at(&[a, b, c, d][u].unit_id, "TAHUN")].unwrap())
        .sum::<f64>()
        / 4.0;
    let g = v[at(&d.unit_id, "TAHUN")].unwrap() - city;
    close(gap[j], g, "kecamatan gap");
    let gap_se = (0.75f64.powi(2) * year_d + (total - year_d) / 16.0).sqrt();
    let want = if g.abs() > Z95 * gap_se {
        "true"
    } else {
        "false"
    };
    assert_eq!(kec.str("selisih_kota_nyata")[j].as_deref(), Some(want));
    let gap_unit = ikm.f64("selisih_kota")[at(&d.unit_id, "TAHUN")];
    close(gap_unit, g, "ikm_unit selisih_kota");
}

#[test]
fn the_demo_pages_print_each_ikm_with_its_margin_and_the_report_judges_each_change() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox");
    let out = tmp.path().join("out");
    common::run_inbox(&inbox, &out);
    let ikm = common::read(&out.join("gold/ikm_unit.parquet"));
    let (id, per, src) = (ikm.str("unit_id"), ikm.str("periode"), ikm.str("sumber"));
    let (v, se) = (ikm.f64("ikm"), ikm.f64("ikm_se"));
    let page =
        std::fs::read_to_string(out.join("report/unit/kecamatan-bekasi-timur_2024.html")).unwrap();
    // Every wave and the year of Bekasi Timur from respondents: "86,71 ± 0,24" on the page,
    // as gold's figure and standard error print.
    let mut shown = 0;
    for i in 0..ikm.len() {
        if id[i].as_deref() != Some("kecamatan-bekasi-timur")
            || src[i].as_deref() != Some("responden")
        {
            continue;
        }
        let (v, se) = (
            v[i].unwrap(),
            se[i].expect("a wave from respondents has an error"),
        );
        let text = skm::emit::numbers::ikm_galat(v, se);
        assert!(
            page.contains(&format!("data-baris=\"galat\">{text} (rentang ")),
            "{:?}: {text} not on the page",
            per[i]
        );
        shown += 1;
    }
    assert_eq!(shown, 4, "S1, TW3, TW4 and the year");
    // The changes between waves are judged: +0,07 from S1 to TW3.
    assert!(
        page.contains("data-baris=\"perubahan\">+0,07 poin, "),
        "{page}"
    );

    // The city report: one row per unit with a change from 2023, marked as gold judges it.
    let report = std::fs::read_to_string(out.join("report/skm_2024.html")).unwrap();
    let section = report
        .split("<section id=\"perubahan-unit\">")
        .nth(1)
        .expect("the unit changes section")
        .split("</section>")
        .next()
        .unwrap();
    let (d, nyata) = (ikm.str("selisih_sebelum"), ikm.str("selisih_sebelum_nyata"));
    let judged: Vec<usize> = (0..ikm.len())
        .filter(|&i| per[i].as_deref() == Some("TAHUN") && d[i].is_some())
        .collect();
    assert!(judged.len() > 90, "{}", judged.len());
    assert_eq!(section.matches("<tr data-nyata=").count(), judged.len());
    for i in judged {
        let mark = match nyata[i].as_deref() {
            Some("true") => "ya",
            Some("false") => "tidak",
            _ => "",
        };
        assert!(section.contains(&format!("<tr data-nyata=\"{mark}\">")));
    }
    let kota = common::read(&out.join("gold/ikm_kota.parquet"));
    let (t, p, c) = (
        kota.i64("tahun"),
        kota.str("periode"),
        kota.f64("selisih_tahun_lalu"),
    );
    let year = (0..kota.len())
        .find(|&i| t[i] == Some(2024) && p[i].as_deref() == Some("TAHUN"))
        .unwrap();
    let change = skm::emit::numbers::selisih(c[year].unwrap());
    assert!(report.contains(&format!(
        "<p id=\"perubahan-kota\">Perubahan dari tahun lalu: {change} poin, "
    )));
}
