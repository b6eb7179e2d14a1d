//! Rows a unit hid in its workbook, written as Excel writes them (`<row hidden="1">`, through
//! rust_xlsxwriter): in a realization sheet a row hidden by hand is a line the unit replaced
//! or no longer uses, not read and named; a row filtered out of view (an active autoFilter) or
//! folded in a collapsed group is read; a questionnaire's hidden rows are read and counted.

use std::path::Path;

use rust_xlsxwriter::{FilterCondition, Workbook, Worksheet};

use crate::common::{read, run_inbox, skm, skm_run};

/// A cell: a text or a number.
enum V {
    T(&'static str),
    N(f64),
}
use V::{N, T};

/// `rows` (each a row from row 1) as the one sheet `name` of `path`, `hide` (1-based) hidden
/// by hand, and what `more` does to the sheet.
fn write(path: &Path, name: &str, rows: &[Vec<V>], hide: &[u32], more: impl Fn(&mut Worksheet)) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v {
                T("") => (),
                T(t) => drop(ws.write_string(r as u32, c as u16, *t).unwrap()),
                N(n) => drop(ws.write_number(r as u32, c as u16, *n).unwrap()),
            }
        }
    }
    for &r in hide {
        ws.set_row_hidden(r - 1).unwrap();
    }
    more(ws);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

/// The files table's hidden-row columns of the one sheet: dilewati, dilewati_tersembunyi,
/// baris_tersembunyi, tersembunyi_dibaca.
fn hidden_accounting(out: &Path) -> (i64, i64, Option<String>, i64) {
    let t = read(&out.join("files.parquet"));
    assert_eq!(t.len(), 1);
    (
        t.i64("dilewati")[0].unwrap(),
        t.i64("dilewati_tersembunyi")[0].unwrap(),
        t.str("baris_tersembunyi")[0].clone(),
        t.i64("tersembunyi_dibaca")[0].unwrap(),
    )
}

/// Every audit finding as `apa tertulis`.
fn findings(out: &Path) -> Vec<String> {
    let t = read(&out.join("gold/audit.parquet"));
    let (apa, tertulis) = (t.str("apa"), t.str("tertulis"));
    (0..t.len())
        .map(|i| {
            format!(
                "{} {}",
                apa[i].clone().unwrap(),
                tertulis[i].clone().unwrap()
            )
        })
        .collect()
}

fn validate(path: &Path) -> String {
    let o = skm(&["validate", path.to_str().unwrap()], &[]);
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn recap() -> Vec<Vec<V>> {
    vec![
        vec![T("REKAPITULASI NILAI IKM TRIWULAN I TAHUN 2024")],
        vec![],
        vec![T("No"), T("Unit Layanan"), T("Nilai IKM"), T("Mutu")],
        // Row 4, hidden: the unit's old figure, replaced by the one below.
        vec![N(1.0), T("Dinkes"), T("79,10"), T("B")],
        vec![N(1.0), T("Dinkes"), T("85,23"), T("B")],
        vec![N(2.0), T("Kec. Bekasi Timur"), T("82,50"), T("B")],
        // The mean of the two shown (83,865).
        vec![T(""), T("Rata-rata"), T("83,87"), T("")],
    ]
}

#[test]
fn a_recap_row_hidden_by_hand_is_not_read_and_the_visible_figure_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let file = inbox.join("rekap_tw1_2024.xlsx");
    write(&file, "Rekap", &recap(), &[4], |_| ());
    run_inbox(&inbox, &out);
    let t = read(&out.join("gold/ikm_unit.parquet"));
    let (unit, periode, ikm) = (t.str("unit_id"), t.str("periode"), t.f64("ikm"));
    let dinkes: Vec<(Option<String>, Option<f64>)> = (0..t.len())
        .filter(|&i| unit[i].as_deref() == Some("dinas-kesehatan"))
        .map(|i| (periode[i].clone(), ikm[i]))
        .collect();
    // (Read, the hidden 79,10 was Dinkes' TW1 and the audit found the shown 85,23 different.)
    assert_eq!(dinkes, [(Some("TW1".into()), Some(85.23))]);
    assert_eq!(findings(&out), Vec::<String>::new());
    // Skipped, not silent: counted among dilewati (the closing row is the other) and named.
    assert_eq!(hidden_accounting(&out), (2, 1, Some("4".into()), 0));
    let said = validate(&file);
    assert!(said.contains("hidden rows: 1 NOT READ (row 4)"), "{said}");
}

fn budget() -> Vec<Vec<V>> {
    let line = |kode, uraian, murni, perubahan, realisasi, persen| {
        vec![
            T(kode),
            T(uraian),
            N(murni),
            N(perubahan),
            N(realisasi),
            N(persen),
        ]
    };
    vec![
        vec![T("LAPORAN REALISASI ANGGARAN")],
        vec![T("DINAS KESEHATAN KOTA BEKASI")],
        vec![T("TAHUN ANGGARAN 2024")],
        vec![],
        vec![
            T("Kode"),
            T("Uraian"),
            T("Pagu Murni"),
            T("Pagu Perubahan"),
            T("Realisasi"),
            T("%"),
        ],
        line("1.02.01", "PROGRAM PENUNJANG", 1e9, 1.1e9, 9.5e8, 86.36),
        // Rows 7, 9, 11, hidden: the lines before the budget's revision.
        line(
            "1.02.01",
            "PROGRAM PENUNJANG (lama)",
            1e9,
            9e8,
            4.75e8,
            50.0,
        ),
        line("1.02.01.2.01", "Perencanaan", 4e8, 4.5e8, 4e8, 88.89),
        line("1.02.01.2.01", "Perencanaan (lama)", 4e8, 3.6e8, 2e8, 50.0),
        line(
            "1.02.01.2.02",
            "Administrasi Keuangan",
            6e8,
            6.5e8,
            5.5e8,
            84.62,
        ),
        line(
            "1.02.01.2.02",
            "Administrasi (lama)",
            6e8,
            5.4e8,
            2.75e8,
            50.0,
        ),
        vec![T("JUMLAH"), T(""), N(1e9), N(1.1e9), N(9.5e8), N(86.36)],
    ]
}

#[test]
fn budget_lines_hidden_by_hand_are_no_lines_and_no_subtotal_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let file = inbox.join("lra_dinkes_2024.xlsx");
    write(&file, "LRA", &budget(), &[7, 9, 11], |_| ());
    let run = skm_run(&inbox, &out, &[], &[]);
    assert!(run.status.success(), "{run:?}");
    let printed = String::from_utf8_lossy(&run.stdout);
    assert!(
        printed.contains("hidden rows not read: 'LRA' 7; 9; 11"),
        "{printed}"
    );
    let t = read(&out.join("gold/anggaran.parquet"));
    let rows: Vec<i64> = t.i64("source_row").into_iter().flatten().collect();
    // (Read, the hidden lines made 7 lines and 12 findings, subtotals and totals among them.)
    assert_eq!(rows, [6, 8, 10, 12], "{:?}", t.str("uraian"));
    assert_eq!(findings(&out), Vec::<String>::new());
    assert_eq!(hidden_accounting(&out), (3, 3, Some("7; 9; 11".into()), 0));
    let said = validate(&file);
    assert!(
        said.contains("hidden rows: 3 NOT READ (rows 7; 9; 11)"),
        "{said}"
    );
}

#[test]
fn rows_filtered_out_of_view_or_folded_in_a_group_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    // A recap filtered to Dinkes (Excel hides the other rows and writes the filter).
    let rows = vec![
        vec![T("REKAPITULASI NILAI IKM TRIWULAN I TAHUN 2024")],
        vec![],
        vec![T("No"), T("Unit Layanan"), T("Nilai IKM"), T("Mutu")],
        vec![N(1.0), T("Dinkes"), T("85,23"), T("B")],
        vec![N(2.0), T("Kec. Bekasi Timur"), T("82,50"), T("B")],
        vec![N(3.0), T("Dishub"), T("80,10"), T("B")],
    ];
    let file = inbox.join("rekap_tw1_2024.xlsx");
    write(&file, "Rekap", &rows, &[5, 6], |ws| {
        ws.autofilter(2, 0, 5, 3).unwrap();
        let only = FilterCondition::new().add_list_filter("Dinkes");
        ws.filter_column(1, &only).unwrap();
        ws.filter_automatic_off();
    });
    run_inbox(&inbox, &out);
    let t = read(&out.join("gold/ikm_unit.parquet"));
    let mut ikm: Vec<f64> = t.f64("ikm").into_iter().flatten().collect();
    ikm.sort_by(f64::total_cmp);
    assert_eq!(ikm, [80.10, 82.50, 85.23]);
    assert_eq!(hidden_accounting(&out), (0, 0, None, 2));
    let said = validate(&file);
    assert!(said.contains("2 filtered out of view"), "{said}");

    // A budget whose activities are folded under their program: read, and they add up.
    let (inbox, out) = (tmp.path().join("inbox2"), tmp.path().join("out2"));
    let mut lines = budget();
    for r in [11, 9, 7] {
        lines.remove(r - 1);
    }
    write(&inbox.join("lra.xlsx"), "LRA", &lines, &[], |ws| {
        ws.group_rows_collapsed(6, 7).unwrap();
    });
    run_inbox(&inbox, &out);
    let t = read(&out.join("gold/anggaran.parquet"));
    assert_eq!(t.len(), 4);
    assert_eq!(findings(&out), Vec::<String>::new());
    assert_eq!(hidden_accounting(&out), (0, 0, None, 2));
}

#[test]
fn a_questionnaire_reads_its_hidden_rows_and_says_how_many() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let mut rows = vec![vec![
        T("Tanggal"),
        T("Unit"),
        T("U1"),
        T("U2"),
        T("U3"),
        T("U4"),
        T("U5"),
        T("U6"),
        T("U7"),
        T("U8"),
        T("U9"),
    ]];
    for day in ["2024-10-15", "2024-10-16", "2024-10-17"] {
        let mut row = vec![T(day), T("Dinkes")];
        row.extend((0..9).map(|_| N(3.0)));
        rows.push(row);
    }
    let file = inbox.join("skm_dinkes.xlsx");
    write(&file, "Form", &rows, &[3], |_| ());
    run_inbox(&inbox, &out);
    let t = read(&out.join("files.parquet"));
    assert_eq!(t.i64("diterima")[0], Some(3));
    assert_eq!(hidden_accounting(&out), (0, 0, None, 1));
    let said = validate(&file);
    assert!(
        said.contains("hidden rows: 1 hidden or filtered out of view, READ"),
        "{said}"
    );
}

/// `rows` as the one table `name` of an ODS file, as LibreOffice writes a row it hides
/// (`table:visibility="collapse"`): the cells as texts.
fn write_ods(path: &Path, name: &str, rows: &[(&[&str], bool)]) {
    let mut table = String::new();
    for (cells, hidden) in rows {
        let visibility = if *hidden {
            r#" table:visibility="collapse""#
        } else {
            ""
        };
        table.push_str(&format!("<table:table-row{visibility}>"));
        for c in *cells {
            table.push_str(&format!(
                r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#
            ));
        }
        table.push_str("</table:table-row>");
    }
    crate::common::write_ods_table(path, name, &table);
}

#[test]
fn an_ods_recap_row_hidden_by_hand_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, out) = (tmp.path().join("inbox"), tmp.path().join("out"));
    let file = inbox.join("rekap_tw1_2024.ods");
    let rows: [(&[&str], bool); 5] = [
        (&["REKAPITULASI NILAI IKM TRIWULAN I TAHUN 2024"], false),
        (&["No", "Unit Layanan", "Nilai IKM", "Mutu"], false),
        (&["1", "Dinkes", "79,10", "B"], true),
        (&["1", "Dinkes", "85,23", "B"], false),
        (&["2", "Kec. Bekasi Timur", "82,50", "B"], false),
    ];
    write_ods(&file, "Rekap", &rows);
    run_inbox(&inbox, &out);
    let t = read(&out.join("gold/ikm_unit.parquet"));
    let (unit, ikm) = (t.str("unit_id"), t.f64("ikm"));
    let dinkes: Vec<Option<f64>> = (0..t.len())
        .filter(|&i| unit[i].as_deref() == Some("dinas-kesehatan"))
        .map(|i| ikm[i])
        .collect();
    assert_eq!(dinkes, [Some(85.23)]);
    assert_eq!(findings(&out), Vec::<String>::new());
    assert_eq!(hidden_accounting(&out), (1, 1, Some("3".into()), 0));
}
