//! The regulation's tabulation sheet as units fill it (PermenPANRB 14/2017's appendix, the
//! "pengolahan data" sheet): a title block, `No. Resp` and U1–U9, a row per respondent, the
//! closing rows (`Σ Nilai/Unsur`, `NRR/Unsur`, `NRR tertimbang/unsur`, `*) Jumlah NRR IKM
//! tertimbang`, `**) IKM Unit pelayanan`), then its explanatory lines: footnotes, a
//! `Keterangan` block, the grade legend with its ranges in cells, the unsur legend and a
//! signature block at the right (as the seeds print one: `Bekasi, Januari 2025`, the office,
//! the name with degrees, `Pembina Tk.I`, `NIP. 19800814 199810 2 001`,
//! 000_2e413fefedba6fa9.txt lines 31–41). Those lines are skipped (`dilewati`), never
//! rejected and never responses; a malformed respondent row inside the data is still
//! rejected.

use std::path::Path;

use crate::common::{read, run_inbox};

/// A cell the test writes.
#[derive(Clone)]
enum C {
    T(&'static str),
    S(String),
    N(f64),
}

/// How the sheet is laid out.
struct Layout {
    /// The keterangan block's heading.
    keterangan: &'static str,
    /// A blank row between the closing rows and the explanatory lines.
    blank_before: bool,
    /// The definitions spread over cells (`U1 s/d U9` | `=` | `Unsur-Unsur pelayanan`) rather
    /// than one text in column A.
    spread: bool,
    /// A row among the explanatory lines that is none of them (a respondent's name and sex,
    /// no answer): still rejected.
    stray: bool,
}

/// The sheet: rows of `(column, cell)`, the respondents' answers (the valid ones), the row of
/// the malformed respondent (1-based in the sheet) and the number of explanatory lines.
struct Sheet {
    rows: Vec<Vec<(u16, C)>>,
    answers: Vec<[u8; 9]>,
    bad_row: i64,
    legend_lines: usize,
    /// The stray row (1-based in the sheet), if any.
    stray_row: Option<i64>,
}

fn answers(n: usize, seed: u64) -> Vec<[u8; 9]> {
    let mut s = seed * 2654435761 + 12345;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    (0..n)
        .map(|_| std::array::from_fn(|_| [1, 2, 3, 3, 3, 4, 4, 4][(next() % 8) as usize]))
        .collect()
}

fn r3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The sheet in the regulation's layout with `n` respondents (and one malformed row after the
/// tenth).
fn sheet(n: usize, layout: &Layout) -> Sheet {
    let mut rows: Vec<Vec<(u16, C)>> = vec![
        vec![(
            0,
            C::T("PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN"),
        )],
        vec![(0, C::T("UNIT PELAYANAN : KECAMATAN BANTARGEBANG"))],
        vec![(0, C::T("PERIODE : TRIWULAN II TAHUN 2024"))],
        vec![],
        vec![(0, C::T("No. Resp")), (1, C::T("NILAI UNSUR PELAYANAN"))],
        (0..9u16)
            .map(|k| (1 + k, C::S(format!("U{}", k + 1))))
            .collect(),
    ];
    let answers = answers(n, 7);
    let mut bad_row = 0;
    for (i, a) in answers.iter().enumerate() {
        let mut row = vec![(0, C::N((i + 1) as f64))];
        row.extend((0..9u16).map(|k| (1 + k, C::N(a[k as usize] as f64))));
        rows.push(row);
        if i == 9 {
            // A respondent's row with a 7 for U4 (a slip of the keyboard) and a word for U6.
            let mut bad = vec![(0, C::T("10a"))];
            bad.extend((0..9u16).map(|k| {
                let c = match k {
                    3 => C::N(7.0),
                    5 => C::T("bagus"),
                    _ => C::N(3.0),
                };
                (1 + k, c)
            }));
            rows.push(bad);
            bad_row = rows.len() as i64;
        }
    }
    let mut sums = [0f64; 9];
    for a in &answers {
        for k in 0..9 {
            sums[k] += a[k] as f64;
        }
    }
    let nrr: Vec<f64> = sums.iter().map(|s| s / n as f64).collect();
    let per_unsur = |label: &'static str, f: &dyn Fn(usize) -> f64| {
        let mut row = vec![(0, C::T(label))];
        row.extend((0..9u16).map(|k| (1 + k, C::N(r3(f(k as usize))))));
        row
    };
    rows.push(per_unsur("Σ Nilai/Unsur", &|k| sums[k]));
    rows.push(per_unsur("NRR/Unsur", &|k| nrr[k]));
    rows.push(per_unsur("NRR tertimbang/unsur", &|k| nrr[k] * 0.111));
    let weighted: f64 = nrr.iter().map(|x| x * 0.111).sum();
    rows.push(vec![
        (0, C::T("*) Jumlah NRR IKM tertimbang")),
        (9, C::N(r3(weighted))),
    ]);
    rows.push(vec![
        (0, C::T("**) IKM Unit pelayanan")),
        (9, C::N((weighted * 25.0 * 100.0).round() / 100.0)),
    ]);
    let before = rows.len();
    let stray_row = legend(&mut rows, layout);
    let filled = rows[before..].iter().filter(|r| !r.is_empty()).count();
    Sheet {
        rows,
        answers,
        bad_row,
        legend_lines: filled - usize::from(stray_row.is_some()),
        stray_row,
    }
}

/// The explanatory lines below the closing rows; the stray row's number (1-based), if any.
fn legend(rows: &mut Vec<Vec<(u16, C)>>, layout: &Layout) -> Option<i64> {
    if layout.blank_before {
        rows.push(vec![]);
    }
    rows.push(vec![(
        0,
        C::T("*) NRR Per Unsur = Jumlah nilai per unsur dibagi jumlah kuesioner yang terisi"),
    )]);
    rows.push(vec![(
        0,
        C::T("**) NRR tertimbang = NRR per unsur x 0,111"),
    )]);
    rows.push(vec![]);
    rows.push(vec![(0, C::T(layout.keterangan))]);
    let definitions = [
        ("U1 s/d U9", "Unsur-Unsur pelayanan"),
        ("NRR", "Nilai rata-rata"),
        ("IKM", "Indeks Kepuasan Masyarakat"),
        ("*)", "Jumlah NRR IKM tertimbang"),
        ("**)", "Jumlah NRR tertimbang x 25"),
    ];
    for (a, b) in definitions {
        rows.push(match layout.spread {
            true => vec![(0, C::T(a)), (1, C::T("=")), (2, C::T(b))],
            false => vec![(0, C::S(format!("{a} = {b}")))],
        });
    }
    let mut stray_row = None;
    if layout.stray {
        rows.push(vec![(0, C::T("Budi Santoso")), (2, C::T("Laki-laki"))]);
        stray_row = Some(rows.len() as i64);
    }
    rows.push(vec![]);
    rows.push(vec![(0, C::T("Mutu pelayanan :"))]);
    let grades = [
        ("A (Sangat Baik)", 88.31, 100.0),
        ("B (Baik)", 76.61, 88.30),
        ("C (Kurang Baik)", 65.00, 76.60),
        ("D (Tidak Baik)", 25.00, 64.99),
    ];
    for (g, lo, hi) in grades {
        rows.push(vec![
            (0, C::T(g)),
            (1, C::T(":")),
            (2, C::N(lo)),
            (3, C::T("-")),
            (4, C::N(hi)),
        ]);
    }
    // The regulation's conversion table, the perception value first.
    rows.push(vec![
        (0, C::T("Nilai Persepsi")),
        (1, C::T("Nilai Interval (NI)")),
        (2, C::T("Nilai Interval Konversi (NIK)")),
        (3, C::T("Mutu Pelayanan (x)")),
        (4, C::T("Kinerja Unit Pelayanan (y)")),
    ]);
    let table = [
        ("1,00 - 2,5996", "25,00 - 64,99", "D", "Tidak baik"),
        ("2,60 - 3,064", "65,00 - 76,60", "C", "Kurang baik"),
        ("3,0644 - 3,532", "76,61 - 88,30", "B", "Baik"),
        ("3,5324 - 4,00", "88,31 - 100,00", "A", "Sangat baik"),
    ];
    for (p, (ni, nik, x, y)) in table.into_iter().enumerate() {
        rows.push(vec![
            (0, C::N((p + 1) as f64)),
            (1, C::T(ni)),
            (2, C::T(nik)),
            (3, C::T(x)),
            (4, C::T(y)),
        ]);
    }
    rows.push(vec![]);
    let unsur = [
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Sarana dan prasarana",
        "Penanganan Pengaduan, Saran dan Masukan",
    ];
    for (k, u) in unsur.iter().enumerate() {
        rows.push(match layout.spread {
            true => vec![
                (1, C::S(format!("U{}", k + 1))),
                (2, C::T("=")),
                (3, C::T(u)),
            ],
            false => vec![(0, C::S(format!("U{} = {u}", k + 1)))],
        });
    }
    rows.push(vec![]);
    rows.push(vec![
        (1, C::T("Mengetahui,")),
        (7, C::T("Bekasi, 31 Desember 2024")),
    ]);
    rows.push(vec![
        (1, C::T("Camat Bantargebang")),
        (7, C::T("Ketua Tim Survei Kepuasan Masyarakat")),
    ]);
    rows.push(vec![]);
    rows.push(vec![]);
    rows.push(vec![
        (1, C::T("FITRI WIDYATI, S.STP., M.Si")),
        (7, C::T("AHMAD SUBAGJA, S.Kom")),
    ]);
    rows.push(vec![(1, C::T("Pembina Tk.I")), (7, C::T("Penata Muda"))]);
    rows.push(vec![
        (1, C::T("NIP. 19800814 199810 2 001")),
        (7, C::T("NIP. 19900101 201503 1 002")),
    ]);
    stray_row
}

/// Writes the sheet as an XLSX file; `merged`: the title and each text in column A merged
/// over the columns A–J, as units lay them out.
fn write_xlsx(path: &Path, s: &Sheet, merged: bool) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("TW II").unwrap();
    let plain = Format::new();
    for (r, row) in s.rows.iter().enumerate() {
        let r = r as u32;
        let alone = row.len() == 1 && row[0].0 == 0;
        for (c, cell) in row {
            match cell {
                C::T(t) if merged && alone && r != 4 => {
                    ws.merge_range(r, 0, r, 9, t, &plain).unwrap();
                }
                C::S(t) if merged && alone => {
                    ws.merge_range(r, 0, r, 9, t, &plain).unwrap();
                }
                C::T(t) => {
                    ws.write_string(r, *c, *t).unwrap();
                }
                C::S(t) => {
                    ws.write_string(r, *c, t).unwrap();
                }
                C::N(v) => {
                    ws.write_number(r, *c, *v).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// Writes the sheet as Excel saves it as CSV in an Indonesian locale: `;` between cells,
/// a decimal comma.
fn write_csv(path: &Path, s: &Sheet) {
    let width = 10;
    let mut text = String::new();
    for row in &s.rows {
        let mut cells = vec![String::new(); width];
        for (c, cell) in row {
            cells[*c as usize] = match cell {
                C::T(t) => t.to_string(),
                C::S(t) => t.clone(),
                C::N(v) => format!("{v}").replace('.', ","),
            };
        }
        let quoted: Vec<String> = cells
            .iter()
            .map(|c| match c.contains([';', '"']) {
                true => format!("\"{}\"", c.replace('"', "\"\"")),
                false => c.clone(),
            })
            .collect();
        text.push_str(&quoted.join(";"));
        text.push_str("\r\n");
    }
    std::fs::write(path, text).unwrap();
}

/// Runs skm on the one file and checks: the only reject is the malformed respondent's row,
/// every respondent is accepted, `dilewati` counts the closing rows, the explanatory lines and
/// the blank rows below the header, and the IKM is the one the respondents give.
fn check(file_name: &str, s: &Sheet, write: impl Fn(&Path)) {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    write(&inbox.join(file_name));
    let out = tmp.path().join("out");
    run_inbox(&inbox, &out);
    let rejects = read(&out.join("rejects.parquet"));
    let rows: Vec<Option<i64>> = rejects.i64("source_row");
    let mut rejected: Vec<i64> = rows.iter().map(|r| r.unwrap()).collect();
    rejected.dedup();
    let want: Vec<i64> = std::iter::once(s.bad_row).chain(s.stray_row).collect();
    assert_eq!(
        rejected,
        want,
        "only the malformed respondent (and a stray row) is rejected: {:?}",
        rejects.rows_as_text()
    );
    let files = read(&out.join("files.parquet"));
    let n = s.answers.len();
    assert_eq!(files.i64("diterima"), vec![Some(n as i64)]);
    assert_eq!(files.i64("ditolak"), vec![Some(want.len() as i64)]);
    let header_row = 5;
    let blanks = s.rows[header_row + 1..]
        .iter()
        .filter(|r| r.is_empty())
        .count();
    let closing = 5;
    assert_eq!(
        files.i64("dilewati"),
        vec![Some((closing + s.legend_lines + blanks) as i64)]
    );
    // The IKM of the respondents: the mean of the nine NRR, times 25.
    let nrr: Vec<f64> = (0..9)
        .map(|k| s.answers.iter().map(|a| a[k] as f64).sum::<f64>() / n as f64)
        .collect();
    let want = nrr.iter().sum::<f64>() / 9.0 * 25.0;
    let t = read(&out.join("gold/ikm_unit.parquet"));
    let (u, p, ikm, cnt) = (
        t.str("unit_id"),
        t.str("periode"),
        t.f64("ikm"),
        t.i64("n_responden"),
    );
    let at = (0..t.len())
        .find(|&i| {
            u[i].as_deref() == Some("kecamatan-bantargebang") && p[i].as_deref() == Some("TW2")
        })
        .expect("the unit's TW2 IKM");
    assert_eq!(cnt[at], Some(n as i64));
    let got = ikm[at].unwrap();
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    // The stated figures agree with the rows; no explanatory line is audited as one.
    let audit = read(&out.join("gold/audit.parquet"));
    assert_eq!(audit.len(), 0, "{:?}", audit.rows_as_text());
}

#[test]
fn the_regulation_template_legend_keterangan_and_signature_are_skipped_not_rejected() {
    let s = sheet(
        32,
        &Layout {
            keterangan: "Keterangan :",
            blank_before: true,
            spread: false,
            stray: true,
        },
    );
    check("Olah data SKM Kec Bantargebang TW2 2024.xlsx", &s, |p| {
        write_xlsx(p, &s, false)
    });
}

#[test]
fn the_template_legend_in_merged_cells_is_skipped() {
    let s = sheet(
        25,
        &Layout {
            keterangan: "KETERANGAN",
            blank_before: true,
            spread: false,
            stray: false,
        },
    );
    check("Olah data SKM Kec Bantargebang TW2 2024.xlsx", &s, |p| {
        write_xlsx(p, &s, true)
    });
}

#[test]
fn the_template_legend_spread_over_the_unsur_columns_with_no_blank_row_before_is_skipped() {
    let s = sheet(
        38,
        &Layout {
            keterangan: "Ket.",
            blank_before: false,
            spread: true,
            stray: false,
        },
    );
    check("Olah data SKM Kec Bantargebang TW2 2024.xlsx", &s, |p| {
        write_xlsx(p, &s, false)
    });
}

#[test]
fn the_template_saved_as_csv_skips_its_legend() {
    let s = sheet(
        30,
        &Layout {
            keterangan: "Keterangan:",
            blank_before: false,
            spread: true,
            stray: true,
        },
    );
    check("Olah data SKM Kec Bantargebang TW2 2024.csv", &s, |p| {
        write_csv(p, &s)
    });
}
