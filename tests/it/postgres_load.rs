//! Loading into PostgreSQL (README, "Dashboards"): each test starts a private server
//! (`common::postgres`), loads real runs into it and reads everything back: every table equal
//! to its Parquet file row for row, every view equal to what its gold tables give, readers
//! never seeing a mixed or empty state, killed loads leaving the previous one, and the
//! failures (server down, wrong password, no rights) each with exit code 5, a message naming
//! what to fix, and the Parquet outputs published.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use skm::tables::{Dictionary, TableDef};

use crate::common::postgres::{Server, ADMIN, ADMIN_PASSWORD, DATABASE};
use crate::common::{self, Table};

/// A value as both sides can state it exactly: doubles by their bits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Cell {
    Null,
    Int(i64),
    F(u64),
    S(String),
    B(bool),
}

type Rows = Vec<Vec<Cell>>;

fn f(x: Option<f64>) -> Cell {
    x.map_or(Cell::Null, |v| Cell::F(v.to_bits()))
}

fn int(x: Option<i64>) -> Cell {
    x.map_or(Cell::Null, Cell::Int)
}

fn s(x: Option<String>) -> Cell {
    x.map_or(Cell::Null, Cell::S)
}

/// A dictionary table's rows read from Parquet with arrow-rs, typed as the dictionary says.
fn parquet_rows(t: &Table, def: &TableDef) -> Rows {
    let cols: Vec<Vec<Cell>> = def
        .columns
        .iter()
        .map(|c| match c.typ.as_str() {
            "str" | "decimal" => t.str(&c.name).into_iter().map(s).collect(),
            "bool" => t
                .str(&c.name)
                .into_iter()
                .map(|v| v.map_or(Cell::Null, |b| Cell::B(b == "true")))
                .collect(),
            "f64" => t.f64(&c.name).into_iter().map(f).collect(),
            _ => t.i64(&c.name).into_iter().map(int).collect(),
        })
        .collect();
    (0..t.len())
        .map(|i| cols.iter().map(|c| c[i].clone()).collect())
        .collect()
}

/// A table of the output as the dictionary declares it: one file, or a folder partitioned by
/// `tahun` (the parts in year and part order, `tahun` from the folder name). None when the run
/// did not write it.
fn parquet_table(out: &Path, def: &TableDef) -> Option<Rows> {
    let Some((dir, _)) = def.path.split_once("/tahun=") else {
        let p = out.join(&def.path);
        return p.is_file().then(|| parquet_rows(&common::read(&p), def));
    };
    let mut years: Vec<(i32, PathBuf)> = std::fs::read_dir(out.join(dir))
        .ok()?
        .flatten()
        .filter_map(|e| {
            let y = e
                .file_name()
                .to_string_lossy()
                .strip_prefix("tahun=")?
                .parse()
                .ok()?;
            Some((y, e.path()))
        })
        .collect();
    years.sort();
    let at = def.columns.iter().position(|c| c.name == "tahun").unwrap();
    let mut rows = Vec::new();
    for (y, d) in years {
        let mut parts: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        parts.sort();
        for p in parts {
            let t = common::read(&p).with_constant_i32("tahun", y, at);
            rows.extend(parquet_rows(&t, def));
        }
    }
    Some(rows)
}

fn pg_cell(row: &postgres::Row, i: usize) -> Cell {
    use postgres::types::Type;
    let t = row.columns()[i].type_();
    if *t == Type::TEXT || *t == Type::VARCHAR || *t == Type::NAME {
        s(row.get(i))
    } else if *t == Type::INT2 {
        int(row.get::<_, Option<i16>>(i).map(i64::from))
    } else if *t == Type::INT4 {
        int(row.get::<_, Option<i32>>(i).map(i64::from))
    } else if *t == Type::INT8 {
        int(row.get(i))
    } else if *t == Type::FLOAT8 {
        f(row.get(i))
    } else if *t == Type::BOOL {
        row.get::<_, Option<bool>>(i).map_or(Cell::Null, Cell::B)
    } else {
        panic!("column {} of type {t}", row.columns()[i].name())
    }
}

fn pg_rows(c: &mut postgres::Client, sql: &str) -> Rows {
    c.query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}: {:?}", e.as_db_error()))
        .iter()
        .map(|r| (0..r.len()).map(|i| pg_cell(r, i)).collect())
        .collect()
}

/// A loaded table in file order, dates as days since 1970 and rupiah as their text, as arrow
/// gives them.
fn pg_table(c: &mut postgres::Client, schema: &str, def: &TableDef) -> Rows {
    let cols: Vec<String> = def
        .columns
        .iter()
        .map(|col| match col.typ.as_str() {
            "date" => format!("(\"{}\" - DATE '1970-01-01')::bigint", col.name),
            "decimal" => format!("\"{}\"::text", col.name),
            _ => format!("\"{}\"", col.name),
        })
        .collect();
    pg_rows(
        c,
        &format!(
            "SELECT {} FROM {schema}.\"{}\" ORDER BY nomor",
            cols.join(", "),
            def.name
        ),
    )
}

/// The columns `names` of `rows` (a table of `def`).
fn project(rows: &Rows, def: &TableDef, names: &[&str]) -> Rows {
    let at: Vec<usize> = names
        .iter()
        .map(|n| {
            def.columns
                .iter()
                .position(|c| c.name == *n)
                .unwrap_or_else(|| panic!("{}: no column {n}", def.name))
        })
        .collect();
    rows.iter()
        .map(|r| at.iter().map(|&i| r[i].clone()).collect())
        .collect()
}

fn sorted(mut rows: Rows) -> Rows {
    rows.sort();
    rows
}

/// The gold, rejects and silver tables of a published output, by name.
struct Output {
    dict: Dictionary,
    tables: BTreeMap<String, Rows>,
}

impl Output {
    fn read(out: &Path) -> Output {
        let dict = Dictionary::embedded();
        let tables = dict
            .tables
            .iter()
            .filter_map(|d| Some((d.name.clone(), parquet_table(out, d)?)))
            .collect();
        Output { dict, tables }
    }
    fn def(&self, name: &str) -> &TableDef {
        self.dict.table(name)
    }
    fn rows(&self, name: &str) -> &Rows {
        &self.tables[name]
    }
    fn project(&self, name: &str, cols: &[&str]) -> Rows {
        project(self.rows(name), self.def(name), cols)
    }
    fn filter_project(&self, name: &str, keep: &dyn Fn(&[Cell]) -> bool, cols: &[&str]) -> Rows {
        let def = self.def(name);
        let kept: Rows = self
            .rows(name)
            .iter()
            .filter(|r| keep(r))
            .cloned()
            .collect();
        project(&kept, def, cols)
    }
    fn at(&self, name: &str, c: &str) -> usize {
        self.def(name)
            .columns
            .iter()
            .position(|x| x.name == c)
            .unwrap()
    }
}

fn text(c: &Cell) -> &str {
    match c {
        Cell::S(s) => s,
        _ => "",
    }
}

fn unit_terkini(o: &Output) -> Rows {
    let (def, rows) = (o.def("ikm_unit"), o.rows("ikm_unit"));
    let get = |r: &Vec<Cell>, c: &str| r[o.at("ikm_unit", c)].clone();
    let urut = |p: &str| {
        ["TW1", "TW2", "S1", "TW3", "TW4", "S2"]
            .iter()
            .position(|x| *x == p)
    };
    let waves: Vec<&Vec<Cell>> = rows
        .iter()
        .filter(|r| text(&get(r, "periode")) != "TAHUN" && get(r, "ikm") != Cell::Null)
        .collect();
    let with_raw: BTreeSet<(Cell, Cell)> = waves
        .iter()
        .filter(|r| text(&get(r, "sumber")) == "responden")
        .map(|r| (get(r, "unit_id"), get(r, "tahun")))
        .collect();
    let mut per_unit: BTreeMap<Cell, Vec<&Vec<Cell>>> = BTreeMap::new();
    for r in waves {
        let raw = with_raw.contains(&(get(r, "unit_id"), get(r, "tahun")));
        if text(&get(r, "sumber")) == "responden" || !raw {
            per_unit.entry(get(r, "unit_id")).or_default().push(r);
        }
    }
    let order = |r: &Vec<Cell>| (get(r, "tahun"), urut(text(&get(r, "periode"))));
    let mut out = Vec::new();
    for (_, mut rs) in per_unit {
        rs.sort_by_key(|r| order(r));
        let last = *rs.last().unwrap();
        let kind = |r: &Vec<Cell>| text(&get(r, "periode")).starts_with("TW");
        let prev = rs[..rs.len() - 1]
            .iter()
            .rev()
            .find(|r| kind(r) == kind(last));
        let ikm = |r: &Vec<Cell>| match get(r, "ikm") {
            Cell::F(b) => f64::from_bits(b),
            _ => unreachable!(),
        };
        let mut row = project(
            &vec![last.clone()],
            def,
            &[
                "unit_id",
                "unit_nama",
                "jenis_unit",
                "kecamatan",
                "tahun",
                "periode",
                "sumber",
                "n_responden",
                "ikm",
                "ikm_bulat",
                "mutu",
                "kinerja",
            ],
        )
        .remove(0);
        match prev {
            Some(p) => row.extend([
                get(p, "tahun"),
                get(p, "periode"),
                get(p, "ikm"),
                f(Some(ikm(last) - ikm(p))),
            ]),
            None => row.extend([Cell::Null, Cell::Null, Cell::Null, Cell::Null]),
        }
        row.extend(["ikm_se", "ikm_bawah", "ikm_atas"].map(|c| get(last, c)));
        // Beyond noise at 95% (docs/DOMAIN.md §1.12), when both waves have an error.
        let se = |r: &Vec<Cell>| match get(r, "ikm_se") {
            Cell::F(b) => Some(f64::from_bits(b)),
            _ => None,
        };
        row.push(match (prev, se(last)) {
            (Some(p), Some(a)) => match se(p) {
                Some(b) => Cell::B(
                    (ikm(last) - ikm(p)).abs() > 1.959963984540054 * (a * a + b * b).sqrt() + 1e-9,
                ),
                None => Cell::Null,
            },
            _ => Cell::Null,
        });
        out.push(row);
    }
    out
}

fn peta_unsur(o: &Output) -> Rows {
    let names: BTreeMap<Cell, Cell> = o
        .project("ikm_unit", &["unit_id", "unit_nama"])
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let mut cells: BTreeMap<Vec<Cell>, [Cell; 9]> = BTreeMap::new();
    for r in o.project(
        "nrr_unsur",
        &["unit_id", "tahun", "periode", "sumber", "kode", "nrr"],
    ) {
        let k = vec![r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()];
        let i: usize = text(&r[4])[1..].parse::<usize>().unwrap() - 1;
        cells
            .entry(k)
            .or_insert_with(|| std::array::from_fn(|_| Cell::Null))[i] = r[5].clone();
    }
    cells
        .into_iter()
        .map(|(k, v)| {
            let mut row = vec![
                k[0].clone(),
                names.get(&k[0]).cloned().unwrap_or(Cell::Null),
            ];
            row.extend(k[1..].iter().cloned());
            row.extend(v);
            row
        })
        .collect()
}

fn kualitas_data(o: &Output) -> Rows {
    let sums = o.filter_project(
        "sums",
        &|r| r[o.at("sums", "dimensi")] == Cell::Null,
        &["source_file", "unit_id", "tahun", "n_responden"],
    );
    let berkas_unit: BTreeSet<(Cell, Cell, Cell)> = sums
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect();
    let count_by_file = |table: &str| {
        let mut m: BTreeMap<Cell, i64> = BTreeMap::new();
        for r in o.project(table, &["source_file"]) {
            *m.entry(r[0].clone()).or_default() += 1;
        }
        m
    };
    let ditolak = count_by_file("rejects");
    let dup_table = o
        .dict
        .tables
        .iter()
        .find(|t| {
            t.name.starts_with("duplikat") && t.columns.iter().any(|c| c.name == "source_file")
        })
        .filter(|t| o.tables.contains_key(&t.name))
        .map(|t| count_by_file(&t.name));
    let mut units: BTreeSet<(Cell, Cell)> = BTreeSet::new();
    units.extend(berkas_unit.iter().map(|(_, u, t)| (u.clone(), t.clone())));
    for t in ["ikm_unit", "unit_tidak_lapor", "audit"] {
        for r in o.project(t, &["unit_id", "tahun"]) {
            if r[0] != Cell::Null && r[1] != Cell::Null {
                units.insert((r[0].clone(), r[1].clone()));
            }
        }
    }
    let tidak_lapor: BTreeSet<Vec<Cell>> = o
        .project("unit_tidak_lapor", &["unit_id", "tahun"])
        .into_iter()
        .collect();
    let audit = o.project("audit", &["unit_id", "tahun"]);
    let mut out = Vec::new();
    for (u, y) in &units {
        let files: Vec<&Cell> = berkas_unit
            .iter()
            .filter(|(_, bu, by)| bu == u && by == y)
            .map(|(f, _, _)| f)
            .collect();
        let in_files = |m: &BTreeMap<Cell, i64>| {
            files
                .iter()
                .map(|f| m.get(*f).copied().unwrap_or(0))
                .sum::<i64>()
        };
        let n_resp: i64 = sums
            .iter()
            .filter(|r| &r[1] == u && &r[2] == y)
            .map(|r| match r[3] {
                Cell::Int(n) => n,
                _ => 0,
            })
            .sum();
        out.push(vec![
            u.clone(),
            y.clone(),
            Cell::Int(files.len() as i64),
            Cell::Int(n_resp),
            Cell::Int(in_files(&ditolak)),
            dup_table
                .as_ref()
                .map_or(Cell::Null, |m| Cell::Int(in_files(m))),
            Cell::Int(audit.iter().filter(|r| &r[0] == u && &r[1] == y).count() as i64),
            Cell::B(tidak_lapor.contains(&vec![u.clone(), y.clone()])),
        ]);
    }
    let unitless = |m: &BTreeMap<Cell, i64>| {
        m.iter()
            .filter(|(f, _)| !berkas_unit.iter().any(|(bf, _, _)| bf == *f))
            .map(|(_, n)| n)
            .sum::<i64>()
    };
    out.push(vec![
        Cell::Null,
        Cell::Null,
        Cell::Int(0),
        Cell::Int(0),
        Cell::Int(unitless(&ditolak)),
        dup_table
            .as_ref()
            .map_or(Cell::Null, |m| Cell::Int(unitless(m))),
        Cell::Int(0),
        Cell::B(false),
    ]);
    out
}

/// What each view must hold, from the gold tables it reads.
fn expected_views(o: &Output) -> Vec<(&'static str, Rows)> {
    let tahun = |r: &[Cell]| text(&r[o.at("ikm_kota", "periode")]) == "TAHUN";
    vec![
        (
            "tren_kota",
            o.filter_project(
                "ikm_kota",
                &tahun,
                &[
                    "tahun",
                    "ikm",
                    "ikm_bulat",
                    "mutu",
                    "kinerja",
                    "n_unit",
                    "n_unit_responden",
                    "n_unit_rekap",
                    "n_unit_tidak_lapor",
                    "ikm_gabungan",
                    "selisih_tahun_lalu",
                    "ikm_se",
                    "ikm_bawah",
                    "ikm_atas",
                    "selisih_tahun_lalu_nyata",
                ],
            ),
        ),
        (
            "galat_unit",
            o.filter_project(
                "ikm_unit",
                &|r| r[o.at("ikm_unit", "peringkat")] != Cell::Null,
                &[
                    "unit_id",
                    "unit_nama",
                    "jenis_unit",
                    "kecamatan",
                    "tahun",
                    "periode",
                    "sumber",
                    "n_responden",
                    "ikm",
                    "ikm_bulat",
                    "ikm_se",
                    "ikm_bawah",
                    "ikm_atas",
                    "tahun_sebelum",
                    "periode_sebelum",
                    "selisih_sebelum",
                    "selisih_sebelum_nyata",
                    "selisih_kota",
                    "selisih_kota_nyata",
                    "peringkat",
                    "peringkat_min",
                    "peringkat_maks",
                ],
            ),
        ),
        ("unit_terkini", unit_terkini(o)),
        (
            "perbandingan_kecamatan",
            o.project(
                "kecamatan",
                &[
                    "tahun",
                    "peringkat",
                    "kecamatan",
                    "unit_id",
                    "ikm",
                    "ikm_bulat",
                    "mutu",
                    "kinerja",
                    "selisih_kota",
                    "selisih_tahun_lalu",
                    "n_unit_lokasi",
                    "ikm_rata_lokasi",
                    "unit_terendah_lokasi",
                    "ikm_terendah_lokasi",
                    "peringkat_min",
                    "peringkat_maks",
                    "ikm_se",
                    "ikm_bawah",
                    "ikm_atas",
                    "selisih_kota_nyata",
                    "selisih_tahun_lalu_nyata",
                ],
            ),
        ),
        ("peta_unsur", peta_unsur(o)),
        (
            "unit_terlambat_terkini",
            o.project(
                "unit_terlambat",
                &[
                    "unit_id",
                    "unit_nama",
                    "jenis_unit",
                    "kecamatan",
                    "tahun",
                    "periode",
                    "tenggat",
                    "hari_terlambat",
                ],
            ),
        ),
        (
            "prioritas_perbaikan",
            o.filter_project(
                "prioritas",
                &|r| r[o.at("prioritas", "prioritas")] == Cell::B(true),
                &[
                    "tingkat",
                    "unit_id",
                    "tahun",
                    "periode",
                    "peringkat",
                    "urutan",
                    "kode",
                    "unsur",
                    "nrr",
                    "nrr_bulat",
                    "seri",
                ],
            ),
        ),
        ("kualitas_data", kualitas_data(o)),
    ]
}

fn run_skm(out: &Path, inbox: Option<&Path>, db: &[&str], password: &str) -> std::process::Output {
    let mut c = common::skm_command();
    c.args(["run", "--json", "--out"]).arg(out);
    // No inbox given: the demo's, named (an output without an inbox is refused).
    c.arg("--inbox").arg(inbox.unwrap_or(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/inbox"
    ))));
    c.args(db).env("PGPASSWORD", password);
    c.output().unwrap()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "--json prints JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

#[test]
fn every_table_and_view_reads_back_equal_to_the_parquet_outputs() {
    let Some(pg) = Server::start() else {
        return;
    };
    // A dashboard's read-only role, given its rights the way README says: by default
    // privileges of the loading role, since every load makes a new schema.
    pg.admin(DATABASE)
        .batch_execute(&format!(
            "CREATE ROLE dasbor LOGIN PASSWORD 'dasbor-sandi';
             ALTER DEFAULT PRIVILEGES FOR ROLE {ADMIN} GRANT USAGE ON SCHEMAS TO dasbor;
             ALTER DEFAULT PRIVILEGES FOR ROLE {ADMIN} GRANT SELECT ON TABLES TO dasbor;"
        ))
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let url = pg.url(ADMIN);
    // The password from a password file, as libpq reads it (host: the socket's folder).
    let pgpass = tmp.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!(
            "# skm\nelsewhere:5432:*:*:no\n{}:{}:{DATABASE}:{ADMIN}:{ADMIN_PASSWORD}\n",
            pg.dir.path().display(),
            pg.port
        ),
    )
    .unwrap();
    // The demo inbox, with the same responses arriving more than once (issue 12), so that
    // `duplikat` has rows of every kind to load.
    let inbox = tmp.path().join("inbox");
    crate::incremental_runs::copy_dir(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/inbox")),
        &inbox,
    );
    crate::resubmissions::overlapping_exports(&inbox);
    let o = common::skm_command()
        .args(["run", "--json", "--db-responses", "--db", &url, "--out"])
        .arg(&out)
        .arg("--inbox")
        .arg(&inbox)
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", &pgpass)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let j = json(&o);
    assert_eq!(j["database"]["status"], "dimuat", "{j}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("into schema skm at host "), "{stderr}");

    let output = Output::read(&out);
    let mut c = pg.admin(DATABASE);
    let loaded: BTreeSet<String> = j["database"]["tables"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    // Every table the run wrote (silver's responses asked for), and only those.
    let written: BTreeSet<String> = output.tables.keys().cloned().collect();
    assert_eq!(loaded, written);
    for name in [
        "ikm_unit",
        "nrr_unsur",
        "ikm_kota",
        "kecamatan",
        "prioritas",
        "rejects",
        "files",
        "responses",
        "sums",
        "anggaran",
    ] {
        assert!(loaded.contains(name), "{name} loaded");
    }
    for (name, rows) in &output.tables {
        let def = output.def(name);
        let back = pg_table(&mut c, "skm", def);
        assert_eq!(back.len(), rows.len(), "{name}: rows");
        assert!(
            !rows.is_empty() || name == "unit_tidak_lapor" || name == "unit_terlambat",
            "{name} has rows"
        );
        for (i, (a, b)) in rows.iter().zip(&back).enumerate() {
            assert_eq!(a, b, "{name}, row {}", i + 1);
        }
        assert_eq!(j["database"]["tables"][name], rows.len(), "{name}");
    }
    for (view, want) in expected_views(&output) {
        let got = pg_rows(&mut c, &format!("SELECT * FROM skm.{view}"));
        // (The demo names no deadlines: no unit is late there.)
        assert!(
            !want.is_empty() || view == "unit_terlambat_terkini",
            "{view}: the demo gives rows"
        );
        assert_eq!(sorted(got), sorted(want), "view {view}");
    }
    // The same run configured by [basis_data] instead of flags, into another schema: the
    // same tables and views there, the first schema untouched.
    let cfg = tmp.path().join("skm.toml");
    std::fs::write(
        &cfg,
        format!("[basis_data]\nurl = \"{url}\"\nschema = \"skm_kota\"\n"),
    )
    .unwrap();
    let o = common::skm_command()
        .args(["run", "--json", "--out"])
        .arg(&out)
        .arg("--inbox")
        .arg(&inbox)
        .arg("--config")
        .arg(&cfg)
        .env_remove("PGPASSWORD")
        .env("PGPASSFILE", &pgpass)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["database"]["schema"], "skm_kota");
    for view in ["tren_kota", "peta_unsur", "kualitas_data"] {
        assert_eq!(
            sorted(pg_rows(&mut c, &format!("SELECT * FROM skm_kota.{view}"))),
            sorted(pg_rows(&mut c, &format!("SELECT * FROM skm.{view}"))),
            "{view}"
        );
    }
    let def = output.def("ikm_unit");
    assert_eq!(
        pg_table(&mut c, "skm_kota", def),
        pg_table(&mut c, "skm", def)
    );
    assert_eq!(
        pg_rows(&mut c, "SELECT count(*) FROM skm.skm_run"),
        vec![vec![Cell::Int(1)]]
    );
    // The dashboard's role reads the views.
    let mut dasbor = pg.client("dasbor", "dasbor-sandi", DATABASE);
    assert_eq!(
        sorted(pg_rows(&mut dasbor, "SELECT * FROM skm.tren_kota")),
        sorted(pg_rows(&mut c, "SELECT * FROM skm.tren_kota"))
    );
    // Types from the dictionary; keys and the indexes a dashboard filters by.
    let types = pg_rows(
        &mut c,
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = 'skm' AND (table_name, column_name) IN \
         (('ikm_unit','ikm'), ('ikm_unit','tahun'), ('anggaran','pagu_perubahan'), ('responses','tanggal'), ('ikm_unit','tahun_lengkap')) \
         ORDER BY 1, 2",
    );
    let t =
        |a: &str, b: &str, c: &str| vec![Cell::S(a.into()), Cell::S(b.into()), Cell::S(c.into())];
    assert_eq!(
        types,
        vec![
            t("anggaran", "pagu_perubahan", "numeric"),
            t("ikm_unit", "ikm", "double precision"),
            t("ikm_unit", "tahun", "integer"),
            t("ikm_unit", "tahun_lengkap", "boolean"),
            t("responses", "tanggal", "date"),
        ]
    );
    let numeric = pg_rows(&mut c, "SELECT numeric_precision::bigint, numeric_scale::bigint FROM information_schema.columns WHERE table_schema = 'skm' AND table_name = 'anggaran' AND column_name = 'realisasi'");
    assert_eq!(numeric, vec![vec![Cell::Int(20), Cell::Int(2)]]);
    let pk = pg_rows(
        &mut c,
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'skm.ikm_unit'::regclass AND contype = 'p'",
    );
    assert_eq!(
        pk,
        vec![vec![Cell::S(
            "PRIMARY KEY (unit_id, tahun, periode, sumber)".into()
        )]]
    );
    let indexed = pg_rows(
        &mut c,
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'skm' AND tablename = 'ikm_unit' ORDER BY 1",
    );
    for column in ["(periode)", "(kecamatan)", "(tahun)"] {
        assert!(
            indexed.iter().any(|r| text(&r[0]).ends_with(column)),
            "ikm_unit indexed by {column}: {indexed:?}"
        );
    }
    // The run's row.
    let run = pg_rows(
        &mut c,
        "SELECT status, diterima, ikm_kota->>'2024' FROM skm.skm_run",
    );
    let city = output.filter_project(
        "ikm_kota",
        &|r| text(&r[output.at("ikm_kota", "periode")]) == "TAHUN" && r[0] == Cell::Int(2024),
        &["ikm"],
    );
    let Cell::F(bits) = city[0][0] else {
        panic!("a city figure for 2024")
    };
    assert_eq!(run.len(), 1);
    assert_eq!(run[0][0], Cell::S(j["status"].as_str().unwrap().into()));
    assert_eq!(run[0][1], Cell::Int(j["accepted"].as_i64().unwrap()));
    assert_eq!(text(&run[0][2]).parse::<f64>().unwrap().to_bits(), bits);
}

/// Two published outputs told apart by their sizes: the demo inbox, and the demo inbox
/// without one kecamatan's folder.
fn two_outputs(tmp: &Path) -> [(PathBuf, BTreeMap<String, i64>); 2] {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox");
    let small = tmp.join("inbox-small");
    copy_dir(&demo, &small);
    std::fs::remove_dir_all(small.join("kec-mustikajaya")).unwrap();
    [demo, small].map(|inbox| {
        let out = tmp.join(format!(
            "out-{}",
            inbox.file_name().unwrap().to_string_lossy()
        ));
        common::run_inbox(&inbox, &out);
        let dir = std::fs::canonicalize(&out).unwrap();
        let o = Output::read(&out);
        let counts = TABLES
            .iter()
            .map(|t| (t.to_string(), o.rows(t).len() as i64))
            .collect();
        (dir, counts)
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn run_row(id: &str) -> skm::db::RunRow {
    let now = chrono::Local::now().to_rfc3339();
    skm::db::RunRow {
        run_id: id.into(),
        mulai: now.clone(),
        selesai: now,
        n_berkas: 0,
        n_berkas_dibaca: 0,
        n_berkas_dipakai_ulang: 0,
        baris_dibaca: 0,
        diterima: 0,
        ditolak: 0,
        n_penolakan: 0,
        n_temuan_audit: 0,
        ikm_kota: vec![],
        status: "selesai".into(),
    }
}

/// What a reader sees in one statement: the loads so far, the newest run, and the sizes.
const STATE: &str = "SELECT (SELECT count(*) FROM skm.skm_run), \
    (SELECT run_id FROM skm.skm_run ORDER BY dimuat DESC, run_id DESC LIMIT 1), \
    (SELECT count(*) FROM skm.ikm_unit), (SELECT count(*) FROM skm.nrr_unsur), \
    (SELECT count(*) FROM skm.rejects), (SELECT count(*) FROM skm.files), \
    (SELECT count(*) FROM skm.prioritas), (SELECT count(*) FROM skm.tren_kota)";

/// Checks a state against the two outputs (every one of its sizes equal to one output's,
/// and to the output its run id names when a test named it `a-…` or `b-…`); returns the
/// loads it shows.
fn check_state(row: &[Cell], outputs: &[(PathBuf, BTreeMap<String, i64>); 2]) -> i64 {
    let Cell::Int(loads) = row[0] else {
        panic!("{row:?}")
    };
    let got: Vec<Cell> = row[2..7].to_vec();
    let sizes = |which: usize| -> Vec<Cell> {
        TABLES
            .iter()
            .map(|t| Cell::Int(outputs[which].1[*t]))
            .collect()
    };
    let which = (0..2).find(|&w| sizes(w) == got);
    let Some(which) = which else {
        panic!("a complete load of one output, not a mix or an empty table: {row:?}, outputs {:?} {:?}", sizes(0), sizes(1))
    };
    let named = match text(&row[1]) {
        id if id.starts_with("a-") => Some(0),
        id if id.starts_with("b-") => Some(1),
        _ => None,
    };
    assert!(
        named.is_none_or(|n| n == which),
        "the run's row and its tables from one load: {row:?}"
    );
    assert!(
        matches!(row[7], Cell::Int(n) if n > 0),
        "the views answer: {row:?}"
    );
    loads
}

/// The tables whose sizes tell the two outputs apart.
const TABLES: [&str; 5] = ["ikm_unit", "nrr_unsur", "rejects", "files", "prioritas"];

#[test]
fn a_reader_polling_during_20_loads_sees_only_complete_loads() {
    let Some(pg) = Server::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let outputs = two_outputs(tmp.path());
    for t in TABLES {
        assert_ne!(
            outputs[0].1[t], outputs[1].1[t],
            "the two outputs differ in {t}"
        );
    }
    let target = skm::db::Target {
        url: format!("{} password={ADMIN_PASSWORD}", pg.url(ADMIN)),
        schema: "skm".into(),
        responses: false,
    };
    skm::db::load(&target, &outputs[0].0, &run_row("a-00")).expect("first load");
    let done = Arc::new(AtomicBool::new(false));
    let outputs = Arc::new(outputs);
    let reader = {
        let (done, outputs) = (done.clone(), outputs.clone());
        let mut c = pg.admin(DATABASE);
        std::thread::spawn(move || {
            let (mut polls, mut seen) = (0, BTreeSet::new());
            while !done.load(Ordering::SeqCst) {
                let row = pg_rows(&mut c, STATE).remove(0);
                seen.insert(check_state(&row, &outputs));
                polls += 1;
            }
            (polls, seen)
        })
    };
    for k in 1..=20 {
        let which = k % 2;
        let id = format!("{}-{k:02}", ["a", "b"][which]);
        skm::db::load(&target, &outputs[which].0, &run_row(&id)).expect("a load");
    }
    done.store(true, Ordering::SeqCst);
    let (polls, seen) = reader.join().expect("the reader saw only complete loads");
    let mut c = pg.admin(DATABASE);
    let last = check_state(&pg_rows(&mut c, STATE).remove(0), &outputs);
    assert_eq!(last, 21, "every load's row kept in skm_run");
    assert!(polls > 20, "the reader polled throughout: {polls} polls");
    assert!(seen.len() > 5, "the reader saw the loads change: {seen:?}");
    eprintln!("{polls} polls saw {} different loads", seen.len());
}

/// The loads the database shows: the newest run and the schemas left beside it.
fn schemas(c: &mut postgres::Client) -> Vec<String> {
    pg_rows(
        c,
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'skm%' ORDER BY 1",
    )
    .into_iter()
    .map(|r| text(&r[0]).to_string())
    .collect()
}

#[test]
fn a_load_killed_at_any_point_leaves_the_previous_load_and_the_next_completes() {
    let Some(pg) = Server::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let outputs = two_outputs(tmp.path());
    let url = format!("{} password={ADMIN_PASSWORD}", pg.url(ADMIN));
    let target = skm::db::Target {
        url: url.clone(),
        schema: "skm".into(),
        responses: true,
    };
    skm::db::load(&target, &outputs[0].0, &run_row("a-first")).expect("first load");
    let mut c = pg.admin(DATABASE);
    let before = pg_rows(&mut c, STATE).remove(0);
    check_state(&before, &outputs);
    let small_inbox = tmp.path().join("inbox-small");
    let out = tmp.path().join("killed");
    // Aborted (as kill -9 does: no cleanup) at each point of the load: after each table's
    // COPY inside the filling transaction, and between its commit and the swap.
    let mut leftover_seen = false;
    let mut completed = false;
    for n in 1..=40 {
        let o = common::skm_command()
            .args(["run", "--db-responses", "--db", &url, "--out"])
            .arg(&out)
            .arg("--inbox")
            .arg(&small_inbox)
            .env("SKM_CRASH_AT", format!("db:{n}"))
            .output()
            .unwrap();
        if o.status.success() {
            // Past the last point (a table's COPY each, then the commit): the load completed.
            assert!(n > 10, "crash point db:{n} reached");
            completed = true;
            break;
        }
        assert!(String::from_utf8_lossy(&o.stderr).contains("SKM_CRASH_AT"));
        let now = pg_rows(&mut c, STATE).remove(0);
        assert_eq!(
            now, before,
            "after a crash at db:{n} the previous load is intact"
        );
        leftover_seen |= schemas(&mut c).iter().any(|s| s.starts_with("skm__load_"));
    }
    assert!(completed, "a load past its last crash point completes");
    assert!(
        leftover_seen,
        "a load killed between its commit and the swap left its schema"
    );
    assert_eq!(
        schemas(&mut c),
        vec!["skm".to_string()],
        "and the next load dropped it"
    );
    // Real kill -9 at random moments of the load stage.
    let mut rng = std::process::id() as u64 ^ 0x9E37_79B9_7F4A_7C15;
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox");
    let mut killed = 0;
    for round in 0..6 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let delay = std::time::Duration::from_millis(rng % 400);
        let mut child = common::skm_command()
            .args(["run", "--db-responses", "--db", &url, "--out"])
            .arg(&out)
            .arg("--inbox")
            .arg(if round % 2 == 0 { &small_inbox } else { &demo })
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = std::io::BufReader::new(stderr).lines();
        for line in lines.by_ref() {
            if line.unwrap().contains("skm run: database") {
                break;
            }
        }
        std::thread::sleep(delay);
        let _ = Command::new("kill")
            .args(["-9", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        killed += usize::from(std::os::unix::process::ExitStatusExt::signal(&status) == Some(9));
        for _ in lines {}
        // The previous complete load, or this one complete.
        check_state(&pg_rows(&mut c, STATE).remove(0), &outputs);
    }
    assert!(killed > 0, "some loads were killed while loading");
    eprintln!("{killed} of 6 loads killed with kill -9 while loading");
    // The next load completes and cleans up.
    let o = common::skm_command()
        .args(["run", "--json", "--db", &url, "--out"])
        .arg(&out)
        .arg("--inbox")
        .arg(&small_inbox)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let after = pg_rows(&mut c, STATE).remove(0);
    let expect: Vec<Cell> = TABLES.iter().map(|t| Cell::Int(outputs[1].1[*t])).collect();
    assert_eq!(
        after[2..7].to_vec(),
        expect,
        "the small inbox's load complete"
    );
    assert_eq!(
        schemas(&mut c),
        vec!["skm".to_string()],
        "no schema left behind"
    );
}

#[test]
fn database_down_wrong_password_or_no_rights_exit_5_with_the_files_published() {
    let Some(pg) = Server::start() else {
        return;
    };
    let mut admin = pg.admin(DATABASE);
    admin
        .batch_execute("CREATE ROLE tamu LOGIN PASSWORD 'tamu-sandi'")
        .unwrap();
    let nowhere = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, String, &str, &[&str]); 3] = [
        (
            "down",
            format!(
                "host={} port=5999 user={ADMIN} dbname={DATABASE}",
                nowhere.path().display()
            ),
            ADMIN_PASSWORD,
            &["Is PostgreSQL running", "No such file or directory"],
        ),
        (
            "password",
            format!("{} password=salah-sandi-123", pg.url(ADMIN)),
            "",
            &["password authentication failed", "PGPASSWORD", "~/.pgpass"],
        ),
        (
            "rights",
            pg.url("tamu"),
            "tamu-sandi",
            &[
                "permission denied for database skm",
                "GRANT CREATE ON DATABASE skm TO tamu",
            ],
        ),
    ];
    for (what, url, password, says) in cases {
        let out = tmp.path().join(what);
        let o = run_skm(&out, None, &["--db", &url], password);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(5), "{what}: {stderr}");
        let host = if what == "down" {
            nowhere.path()
        } else {
            pg.dir.path()
        };
        for part in [
            format!("host {}", host.display()),
            format!("database {DATABASE}"),
        ] {
            assert!(stderr.contains(&part), "{what}: names {part}: {stderr}");
        }
        for part in says {
            assert!(stderr.contains(part), "{what}: says {part}: {stderr}");
        }
        assert!(
            stderr.contains("The Parquet outputs are published"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("salah-sandi-123")
                && !String::from_utf8_lossy(&o.stdout).contains("salah-sandi-123"),
            "no password shown"
        );
        let j = json(&o);
        assert_eq!(j["exit_code"], 5);
        assert_eq!(j["database"]["status"], "gagal", "{what}: {j}");
        assert_eq!(j["database"]["database"], DATABASE);
        // The files are published all the same.
        let ikm = common::read(&out.join("gold/ikm_unit.parquet"));
        assert!(ikm.len() > 100, "{what}: gold published");
        assert!(std::fs::symlink_metadata(&out)
            .unwrap()
            .file_type()
            .is_symlink());
    }
    // Nothing was loaded by any of them.
    assert_eq!(schemas(&mut admin), Vec::<String>::new());
    // A schema of that name that skm did not make is never replaced.
    admin
        .batch_execute("CREATE SCHEMA lain; CREATE TABLE lain.catatan_kantor (isi text); INSERT INTO lain.catatan_kantor VALUES ('jangan dihapus')")
        .unwrap();
    let out = tmp.path().join("lain");
    let o = run_skm(
        &out,
        None,
        &["--db", &pg.url(ADMIN), "--db-schema", "lain"],
        ADMIN_PASSWORD,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(5), "{stderr}");
    assert!(
        stderr.contains("schema lain exists and has no skm_run table")
            && stderr.contains("--db-schema"),
        "{stderr}"
    );
    assert_eq!(
        pg_rows(&mut admin, "SELECT isi FROM lain.catatan_kantor"),
        vec![vec![Cell::S("jangan dihapus".into())]]
    );
    let left: Vec<String> = pg_rows(
        &mut admin,
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'lain%' ORDER BY 1",
    )
    .iter()
    .map(|r| text(&r[0]).to_string())
    .collect();
    assert_eq!(
        left,
        vec!["lain".to_string()],
        "the load's own schema dropped"
    );
}

/// `skm rollback --db` (issue 28): the files go back to the previous run and the database is
/// loaded from it, so the dashboards show what the files hold; `skm_run` says the load was a
/// restore of that run.
#[test]
fn a_rollback_with_db_loads_the_run_it_republishes() {
    let Some(pg) = Server::start() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inbox");
    let small = tmp.path().join("inbox-small");
    copy_dir(&demo, &small);
    std::fs::remove_dir_all(small.join("kec-mustikajaya")).unwrap();
    let url = format!("{} password={ADMIN_PASSWORD}", pg.url(ADMIN));
    let out = tmp.path().join("out");
    for inbox in [&demo, &small] {
        let o = common::skm_command()
            .args(["run", "--quiet", "--db", &url, "--out"])
            .arg(&out)
            .arg("--inbox")
            .arg(inbox)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let dict = Dictionary::embedded();
    let mut c = pg.admin(DATABASE);
    let small_rows = sorted(pg_table(&mut c, "skm", dict.table("nrr_unsur")));
    let o = common::skm_command()
        .args(["rollback", "--db", &url, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Every table the republished run wrote is in the database as its files hold it.
    let mut compared = 0;
    for def in &dict.tables {
        // (Silver's responses are loaded with --db-responses only.)
        let Some(files) = parquet_table(&out, def).filter(|_| def.name != "responses") else {
            continue;
        };
        let back = pg_table(&mut c, "skm", def);
        assert_eq!(
            sorted(back),
            sorted(files),
            "{} after the rollback",
            def.name
        );
        compared += 1;
    }
    assert!(compared >= 15, "{compared} tables compared");
    assert_ne!(
        sorted(pg_table(&mut c, "skm", dict.table("nrr_unsur"))),
        small_rows
    );
    let run = pg_rows(
        &mut c,
        "SELECT status FROM skm.skm_run ORDER BY selesai DESC LIMIT 1",
    );
    assert_eq!(run[0][0], Cell::S("dipulihkan".into()));
    // The run history beside the output is loaded too: both runs before the rollback.
    let runs = pg_rows(
        &mut c,
        "SELECT exit_code::bigint FROM skm.runs ORDER BY mulai",
    );
    assert_eq!(runs, vec![vec![Cell::Int(0)], vec![Cell::Int(0)]]);
}
