//! A unit's page, `report/unit/<unit_id>_<tahun>.html`: the same tables as its sheet
//! (`unit_sheet.rs`), in Bahasa Indonesia with decimal commas, self-contained (no script,
//! nothing fetched) and laid out to print on A4 without a table cut across pages.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::numbers;
use super::unit_model::{words, PeriodTable, UnitYear};

/// The style of a unit page (screen and print).
pub const STYLE: &str = "body{font-family:'DejaVu Sans',sans-serif;margin:24px;color:#222;max-width:1000px}
h1{font-size:22px;margin-bottom:2px}h2{font-size:17px;margin:22px 0 4px}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #999;padding:3px 7px;font-size:12px}
th{background:#e4e4e4}td.n{text-align:right}td.k{text-align:center}td.l{font-weight:bold}
.A{background:#c6efce}.B{background:#ddebf7}.C{background:#ffeb9c}.D{background:#ffc7ce}
.blok{break-inside:avoid;page-break-inside:avoid;margin-bottom:14px}
.sub{font-size:13px;margin:0 0 4px}.sumber{font-size:11px;color:#555;margin:2px 0}.catatan{font-size:12px}
.legenda span{display:inline-block;padding:1px 6px;margin-right:6px;border:1px solid #999;font-size:11px}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none}h2{break-after:avoid;page-break-after:avoid}}";

/// The unit's page.
pub fn page(u: &UnitYear) -> String {
    let about = match &u.kecamatan {
        Some(k) => format!("Kecamatan {k}; {RECOMPUTED}."),
        None => format!("{RECOMPUTED}."),
    };
    html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                title { "SKM " (u.unit_nama) " " (u.tahun) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Survei Kepuasan Masyarakat " (u.unit_nama) " Tahun " (u.tahun) }
                p.catatan { (about) }
                @if u.only_recap() {
                    p.catatan #hanya-rekap { (ONLY_RECAP) }
                }
                @for p in &u.periods {
                    (period(p, u, None))
                }
                (year(u))
                @if let Some(s) = &u.sample {
                    div.blok #sampel { h2 { "Sampel" } p { (words::sampel(s)) } }
                }
                (profile(u))
                (plans(u))
                (legend())
            }
        }
    }
    .into_string()
        + "\n"
}

const RECOMPUTED: &str =
    "angka dihitung ulang oleh skm, dibulatkan setengah ke atas (NRR 3 desimal, IKM 2 desimal)";

const ONLY_RECAP: &str = "Unit ini tidak mengirim kuesioner mentah tahun ini: semua nilai di halaman ini berasal dari rekap IKM yang dikirim (lembar rekap Bagian Organisasi atau unit), tidak dihitung dari jawaban responden.";

/// One period's table, the seeds' layout; `extra` rows go under the IKM (the year's rule).
fn period(p: &PeriodTable, u: &UnitYear, extra: Option<&[(&str, String)]>) -> Markup {
    let mutu = p.mutu.as_deref().unwrap_or("");
    html! {
        div.blok.periode id={ "periode-" (p.periode.code()) } {
            h2 { (words::judul_periode(p, u.tahun)) }
            p.sub { (u.unit_nama) " Tahun " (u.tahun) }
            table {
                @if !p.unsur.is_empty() {
                    (unsur_rows(p))
                }
                tr {
                    td.l { "IKM Unit Layanan" }
                    td colspan="9" class=(mutu) data-baris="ikm-unit" {
                        b { (words::ikm_dengan_kinerja(p)) }
                    }
                }
                @if let Some(m) = &p.mutu {
                    tr { td.l { "Mutu pelayanan" } td colspan="9" { (m) } }
                }
                @if let Some(g) = words::ikm_galat(p) {
                    tr { td.l { "Margin galat (95%)" } td colspan="9" data-baris="galat" { (g) } }
                }
                @if let Some((label, value)) = words::perubahan(p) {
                    tr { td.l { (label) } td colspan="9" data-baris="perubahan" { (value) } }
                }
                @for (label, value) in extra.unwrap_or_default() {
                    tr { td.l { (label) } td colspan="9" { (value) } }
                }
            }
            @if let Some(low) = words::terendah(p) {
                p.catatan.terendah { "Unsur terendah: " (low) "." }
            }
            p.sumber { (words::sumber(p)) }
        }
    }
}

/// The unsur's NRR, IKM and grade rows of a period's table.
fn unsur_rows(p: &PeriodTable) -> Markup {
    html! {
        tr {
            th { "Nilai Unsur Pelayanan" }
            @for c in &p.unsur {
                th title=(c.kode) { (c.judul) }
            }
        }
        tr {
            td.l { "Nilai Rata-Rata (NRR)" }
            @for c in &p.unsur {
                td.n data-baris="nrr" data-kode=(c.kode) {
                    (c.nrr_bulat.map(numbers::nrr).unwrap_or_default())
                }
            }
        }
        tr {
            td.l { "IKM Per Unsur (NRR x 25)" }
            @for c in &p.unsur {
                td.n data-baris="ikm" data-kode=(c.kode) {
                    (c.ikm_unsur_bulat.map(numbers::ikm).unwrap_or_default())
                }
            }
        }
        tr {
            td.l { "Kategori" }
            @for c in &p.unsur {
                @let m = c.mutu.as_deref().unwrap_or("");
                td class={ "k " (m) } data-baris="kategori" data-kode=(c.kode) { (m) }
            }
        }
    }
}

fn year(u: &UnitYear) -> Markup {
    let Some(y) = &u.year else {
        return html! { p { "Tidak ada nilai tahunan untuk tahun ini." } };
    };
    let mut extra: Vec<(&str, String)> = vec![("Cara menghitung", y.aturan_kata.clone())];
    if let Some(d) = &y.periode_dipakai {
        extra.push(("Periode dipakai", d.replace('+', ", ")));
    }
    if y.lengkap == Some(false) {
        extra.push((
            "Tahun lengkap",
            "tidak: dihitung dari periode yang ada".into(),
        ));
    }
    if let Some(c) = &y.catatan {
        extra.push(("Catatan", c.clone()));
    }
    if let Some(v) = y.rekap_bulat {
        extra.push(("IKM menurut rekap", numbers::ikm(v)));
    }
    let ikm = y.table.ikm_bulat.map(numbers::ikm);
    let galat = match (y.table.ikm, y.table.ikm_se) {
        (Some(_), Some(se)) => format!(" ({} pada tingkat keyakinan 95%)", numbers::galat(se)),
        _ => String::new(),
    };
    html! {
        (period(&y.table, u, Some(&extra)))
        p #ikm-tahun {
            "Nilai IKM " (u.unit_nama) " tahun " (u.tahun) " sebesar "
            b { (ikm.as_deref().unwrap_or("-")) } (galat)
            " dengan mutu pelayanan " b { (y.table.mutu.as_deref().unwrap_or("-")) }
            " (" (y.table.kinerja.as_deref().unwrap_or("-")) "), dihitung dengan "
            (y.aturan_kata) "."
        }
    }
}

fn profile(u: &UnitYear) -> Markup {
    if u.profile.is_empty() {
        return html! {};
    }
    let cukup = |c: Option<bool>| match c {
        Some(true) => "ya",
        Some(false) => "terlalu sedikit",
        None => "",
    };
    html! {
        div.blok #profil {
            h2 { "Profil responden" }
            p.sumber { "IKM per kelompok, dari responden tahun ini yang mengisi kolom profil." }
            table {
                tr { th { "Dimensi" } th { "Kelompok" } th { "Responden" } th { "IKM" } th { "Cukup" } }
                @for p in &u.profile {
                    tr {
                        td { (words::dimensi(&p.dimensi)) }
                        td { (words::kelompok(&p.dimensi, &p.kelompok)) }
                        td.n { (p.n_responden.map(numbers::bilangan).unwrap_or_default()) }
                        td.n { (p.ikm_bulat.map(numbers::ikm).unwrap_or_default()) }
                        td { (cukup(p.cukup)) }
                    }
                }
            }
            p.sumber { "Kelompok dengan responden di bawah minimum ditandai \"terlalu sedikit\"." }
        }
    }
}

/// The follow-up plans (issue 16), when the follow-up table has rows for the unit and year.
fn plans(u: &UnitYear) -> Markup {
    let Some(first) = u.plans.first() else {
        return html! {};
    };
    html! {
        div.blok #tindak-lanjut {
            h2 { "Rencana Tindak Lanjut" }
            table {
                tr { @for (k, _) in first { th { (k) } } }
                @for row in &u.plans {
                    tr { @for (_, v) in row { td { (v) } } }
                }
            }
        }
    }
}

fn legend() -> Markup {
    html! {
        div.blok.legenda #legenda {
            b { "Kategori (warna):" } " "
            @for (m, k, range) in words::LEGENDA {
                span class=(m) { (m) " " (k) ": " (range) }
            }
        }
    }
}
