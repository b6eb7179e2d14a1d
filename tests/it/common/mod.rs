//! Shared test helpers: run the pipeline on an inbox made in the test, and read its outputs
//! back with the reference Parquet implementation (arrow-rs), not with Polars.

#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use arrow::array::{Array, ArrayRef, Float64Array, Int32Array, Int64Array, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

pub mod postgres;

use skm::config::Config;
use skm::registry::Registry;
use skm::run::{run, RunConfig, RunSummary};

pub fn run_inbox(inbox: &Path, out: &Path) -> RunSummary {
    run_with(inbox, out, Config::default())
}

pub fn run_with(inbox: &Path, out: &Path, config: Config) -> RunSummary {
    run(&RunConfig {
        inbox: inbox.to_path_buf(),
        out: out.to_path_buf(),
        config,
        registry: Registry::embedded(),
        incremental: true,
        pdf: None,
        db: None,
        run_id: None,
    })
    .expect("the run completes")
}

/// Every silver part of a year, read as one table, with `tahun` from the folder name where the
/// data dictionary puts it (the parts do not store it: Hive layout, as pyarrow and Spark read it).
pub fn read_silver(out: &Path, tahun: i32) -> Table {
    let dir = out.join(format!("silver/responses/tahun={tahun}"));
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    let mut tables = parts.iter().map(|p| read(p));
    let mut first = tables.next().expect("at least one part");
    for t in tables {
        first.batches.extend(t.batches);
    }
    first.path = dir;
    let at = skm::tables::Dictionary::embedded()
        .table("responses")
        .columns
        .iter()
        .position(|c| c.name == "tahun")
        .unwrap();
    first.with_constant_i32("tahun", tahun, at)
}

/// A Parquet table read with arrow-rs.
pub struct Table {
    pub schema: arrow::datatypes::SchemaRef,
    pub batches: Vec<RecordBatch>,
    pub path: PathBuf,
}

pub fn read(path: &Path) -> Table {
    let f = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let builder = ParquetRecordBatchReaderBuilder::try_new(f)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema = builder.schema().clone();
    let reader = builder.build().unwrap();
    Table {
        schema,
        batches: reader.map(|b| b.unwrap()).collect(),
        path: path.to_path_buf(),
    }
}

impl Table {
    /// The table with a column holding `value` on every row, inserted at `at` (a partition
    /// column taken from the path).
    pub fn with_constant_i32(self, name: &str, value: i32, at: usize) -> Table {
        assert!(
            self.schema.field_with_name(name).is_err(),
            "{}: the file stores {name}",
            self.path.display()
        );
        let mut fields: Vec<Field> = self
            .schema
            .fields()
            .iter()
            .map(|f| f.as_ref().clone())
            .collect();
        fields.insert(at, Field::new(name, DataType::Int32, false));
        let schema = std::sync::Arc::new(Schema::new(fields));
        let batches = self
            .batches
            .iter()
            .map(|b| {
                let mut cols = b.columns().to_vec();
                let c: ArrayRef = std::sync::Arc::new(Int32Array::from(vec![value; b.num_rows()]));
                cols.insert(at, c);
                RecordBatch::try_new(schema.clone(), cols).unwrap()
            })
            .collect();
        Table {
            schema,
            batches,
            path: self.path,
        }
    }

    pub fn len(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    pub fn columns(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn each(&self, name: &str, to: &DataType) -> Vec<std::sync::Arc<dyn Array>> {
        self.batches
            .iter()
            .map(|b| {
                let c = b
                    .column_by_name(name)
                    .unwrap_or_else(|| panic!("{}: no column {name}", self.path.display()));
                cast(c, to).unwrap()
            })
            .collect()
    }

    pub fn str(&self, name: &str) -> Vec<Option<String>> {
        self.each(name, &DataType::Utf8)
            .iter()
            .flat_map(|a| {
                let a = a.as_any().downcast_ref::<StringArray>().unwrap();
                (0..a.len())
                    .map(|i| a.is_valid(i).then(|| a.value(i).to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    pub fn f64(&self, name: &str) -> Vec<Option<f64>> {
        self.each(name, &DataType::Float64)
            .iter()
            .flat_map(|a| {
                let a = a.as_any().downcast_ref::<Float64Array>().unwrap();
                (0..a.len())
                    .map(|i| a.is_valid(i).then(|| a.value(i)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    pub fn i64(&self, name: &str) -> Vec<Option<i64>> {
        self.each(name, &DataType::Int64)
            .iter()
            .flat_map(|a| {
                let a = a.as_any().downcast_ref::<Int64Array>().unwrap();
                (0..a.len())
                    .map(|i| a.is_valid(i).then(|| a.value(i)))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every cell of every column as text (for comparing whole tables and for searching).
    pub fn rows_as_text(&self) -> Vec<Vec<String>> {
        self.rows_as_text_but(&[])
    }

    /// `rows_as_text` without the columns named in `but`.
    pub fn rows_as_text_but(&self, but: &[&str]) -> Vec<Vec<String>> {
        let mut cols = self.columns();
        cols.retain(|c| !but.contains(&c.as_str()));
        let data: Vec<Vec<Option<String>>> = cols.iter().map(|c| self.str(c)).collect();
        (0..self.len())
            .map(|i| {
                data.iter()
                    .map(|c| c[i].clone().unwrap_or_else(|| "∅".into()))
                    .collect()
            })
            .collect()
    }
}

/// The `skm` binary built for these tests, as a command to add arguments to.
pub fn skm_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_skm"))
}

/// Runs `skm` with `args` and the extra environment `env`; its output, whatever the exit code.
pub fn skm(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = skm_command();
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("skm starts")
}

/// `skm gen` with the arguments `more`, writing its inbox at `out`; fails the test if it fails.
pub fn skm_gen(out: &Path, more: &[&str]) {
    let mut args = vec!["gen"];
    args.extend(more);
    args.extend(["--out", out.to_str().unwrap()]);
    let o = skm(&args, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `skm run` on `inbox` into `out` with the arguments `more` and the environment `env`.
pub fn skm_run(inbox: &Path, out: &Path, more: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = vec![
        "run",
        "--inbox",
        inbox.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(more);
    skm(&args, env)
}

/// A named table's rows as text, for comparing two outputs.
pub type Snapshot = Vec<(String, Vec<Vec<String>>)>;

/// Every gold table and the rejects, as text, by name.
pub fn gold_snapshot(out: &Path) -> Snapshot {
    let mut names: Vec<PathBuf> = std::fs::read_dir(out.join("gold"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names.push(out.join("rejects.parquet"));
    names
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                read(p).rows_as_text(),
            )
        })
        .collect()
}

/// Every file under `dir` (folders followed), sorted by path.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every Parquet file of an output but the manifest (which says how a run went: reused or
/// read, when), by its path in the output, as text; `files.parquet` without `cara_baca` (how a
/// file was read: what a comparison of readings varies; `ways_read` gives it).
pub fn full_snapshot(out: &Path) -> Snapshot {
    let root = std::fs::canonicalize(out).unwrap();
    let paths: Vec<PathBuf> = files_under(&root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .filter(|p| p.file_name().is_some_and(|n| n != "manifest.parquet"))
        .collect();
    // A part's pieces (`part-00000_0001.parquet`, …: `tables::PartWriter`) are one table, their
    // rows in the pieces' order (`files_under` sorts them so): how a part is cut into files is
    // not what a run gives.
    let mut v: Snapshot = Vec::new();
    for p in &paths {
        let name = p.strip_prefix(&root).unwrap().display().to_string();
        let rows = match name.as_str() {
            "files.parquet" => read(p).rows_as_text_but(&["cara_baca"]),
            _ => read(p).rows_as_text(),
        };
        match piece_of(&name) {
            Some(first) if v.last().is_some_and(|(n, _)| *n == first) => {
                v.last_mut().unwrap().1.extend(rows);
            }
            _ => v.push((name, rows)),
        }
    }
    v.sort();
    v
}

/// How each file of a run was read (`files.cara_baca`, "∅" when it was not), by file.
pub fn ways_read(out: &Path) -> std::collections::BTreeMap<String, String> {
    let t = read(&out.join("files.parquet"));
    let (files, ways) = (t.str("source_file"), t.str("cara_baca"));
    let mut by_file = std::collections::BTreeMap::new();
    for (f, w) in files.into_iter().zip(ways) {
        by_file.insert(f.unwrap(), w.unwrap_or_else(|| "∅".into()));
    }
    by_file
}

/// The first piece's name of a part's later piece (`…/part-00000_0001.parquet` →
/// `…/part-00000.parquet`).
pub fn piece_of(name: &str) -> Option<String> {
    let (head, tail) = name.rsplit_once('_')?;
    let n = tail.strip_suffix(".parquet")?;
    (head.rsplit('/').next()?.starts_with("part-") && n.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{head}.parquet"))
}

/// Whether a service a test needs (PostgreSQL, Chromium) must be there: `SKM_TEST_SERVICES=require`
/// (`.ci/run` sets it) fails a test whose service cannot be had; otherwise the test is skipped.
pub fn services_required() -> bool {
    std::env::var("SKM_TEST_SERVICES").is_ok_and(|v| v == "require")
}

/// Runs `scripts/<script>`, which installs a Debian package a test needs when it is missing.
/// When it cannot (no root, no network, no apt): with `SKM_TEST_SERVICES=require` the test fails
/// with the script's own words; otherwise one line on the terminal names the test, what is
/// missing (`needed`) and how to get it, and `false` says to skip the test.
pub fn install_with(script: &str, needed: &str) -> bool {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(script);
    let o = Command::new("bash").arg(&path).output();
    let why = match &o {
        Ok(o) if o.status.success() => return true,
        Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
        Err(e) => e.to_string(),
    };
    missing(script, needed, &why)
}

/// A service a test needs is missing (`why`): the test fails with `SKM_TEST_SERVICES=require`,
/// else one line on the terminal names the test, what is missing and how to get it, and
/// `false` says to skip the test.
pub fn missing(script: &str, needed: &str, why: &str) -> bool {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(script);
    assert!(
        !services_required(),
        "{needed} needed for this test and could not be installed by {}: {why}",
        path.display(),
    );
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let last = why.lines().last().unwrap_or("").to_string();
    // Past the test harness's capture, so that it is seen although the test "passes".
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {test}: {needed} missing and scripts/{script} could not install it ({last}); \
         run `sudo bash scripts/{script}` (Debian/Ubuntu) or install it yourself, then rerun"
    );
    false
}

/// An ODS file of one table `name` holding the rows `table` (`<table:table-row>` elements), as
/// LibreOffice Calc packs it.
pub fn write_ods_table(path: &Path, name: &str, table: &str) {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="{name}" table:style-name="ta1"><table:table-column table:number-columns-repeated="6"/>{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    for (part, text) in [
        ("content.xml", content.as_str()),
        ("META-INF/manifest.xml", manifest),
    ] {
        zip.start_file(part, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}
