//! A unit's page, `report/unit/<unit_id>_<tahun>.html`: the same tables as its sheet
//! (`unit_sheet.rs`), in Bahasa Indonesia with decimal commas, self-contained (no script,
//! nothing fetched) and laid out to print on A4 without a table cut across pages.

use std::fmt::Write as _;

use super::escape::esc;
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
    let mut h = String::new();
    let _ = write_page(&mut h, u);
    h
}

fn write_page(h: &mut String, u: &UnitYear) -> std::fmt::Result {
    let name = esc(&u.unit_nama);
    write!(
        h,
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>SKM {name} {t}</title><style>{STYLE}</style></head><body>\
<h1>Survei Kepuasan Masyarakat {name} Tahun {t}</h1>",
        t = u.tahun
    )?;
    let mut about: Vec<String> = Vec::new();
    if let Some(k) = &u.kecamatan {
        about.push(format!("Kecamatan {}", esc(k)));
    }
    about.push(
        "angka dihitung ulang oleh skm, dibulatkan setengah ke atas (NRR 3 desimal, IKM 2 desimal)"
            .into(),
    );
    write!(h, "<p class=\"catatan\">{}.</p>", about.join("; "))?;
    if u.only_recap() {
        h.push_str("<p class=\"catatan\" id=\"hanya-rekap\">Unit ini tidak mengirim kuesioner mentah tahun ini: semua nilai di halaman ini berasal dari rekap IKM yang dikirim (lembar rekap Bagian Organisasi atau unit), tidak dihitung dari jawaban responden.</p>");
    }
    for p in &u.periods {
        period(h, p, u, None)?;
    }
    year(h, u)?;
    if let Some(s) = &u.sample {
        write!(
            h,
            "<div class=\"blok\" id=\"sampel\"><h2>Sampel</h2><p>{}</p></div>",
            esc(&words::sampel(s))
        )?;
    }
    profile(h, u)?;
    plans(h, u)?;
    legend(h)?;
    h.push_str("</body></html>\n");
    Ok(())
}

/// One period's table, the seeds' layout; `extra` rows go under the IKM (the year's rule).
fn period(
    h: &mut String,
    p: &PeriodTable,
    u: &UnitYear,
    extra: Option<&[(&str, String)]>,
) -> std::fmt::Result {
    let code = p.periode.code();
    write!(
        h,
        "<div class=\"blok periode\" id=\"periode-{code}\"><h2>{}</h2><p class=\"sub\">{} Tahun {}</p><table>",
        esc(&words::judul_periode(p, u.tahun)),
        esc(&u.unit_nama),
        u.tahun
    )?;
    if !p.unsur.is_empty() {
        h.push_str("<tr><th>Nilai Unsur Pelayanan</th>");
        for c in &p.unsur {
            write!(h, "<th title=\"{}\">{}</th>", esc(&c.kode), esc(&c.judul))?;
        }
        h.push_str("</tr><tr><td class=l>Nilai Rata-Rata (NRR)</td>");
        for c in &p.unsur {
            write!(
                h,
                "<td class=n data-baris=\"nrr\" data-kode=\"{}\">{}</td>",
                esc(&c.kode),
                c.nrr_bulat.map(numbers::nrr).unwrap_or_default()
            )?;
        }
        h.push_str("</tr><tr><td class=l>IKM Per Unsur (NRR x 25)</td>");
        for c in &p.unsur {
            write!(
                h,
                "<td class=n data-baris=\"ikm\" data-kode=\"{}\">{}</td>",
                esc(&c.kode),
                c.ikm_unsur_bulat.map(numbers::ikm).unwrap_or_default()
            )?;
        }
        h.push_str("</tr><tr><td class=l>Kategori</td>");
        for c in &p.unsur {
            let m = c.mutu.as_deref().unwrap_or("");
            write!(
                h,
                "<td class=\"k {m}\" data-baris=\"kategori\" data-kode=\"{}\">{m}</td>",
                esc(&c.kode)
            )?;
        }
        h.push_str("</tr>");
    }
    write!(
        h,
        "<tr><td class=l>IKM Unit Layanan</td><td colspan=9 class=\"{}\" data-baris=\"ikm-unit\"><b>{}</b></td></tr>",
        p.mutu.as_deref().unwrap_or(""),
        words::ikm_dengan_kinerja(p)
    )?;
    if let Some(m) = &p.mutu {
        write!(
            h,
            "<tr><td class=l>Mutu pelayanan</td><td colspan=9>{}</td></tr>",
            esc(m)
        )?;
    }
    if let Some(g) = words::ikm_galat(p) {
        write!(
            h,
            "<tr><td class=l>Margin galat (95%)</td><td colspan=9 data-baris=\"galat\">{}</td></tr>",
            esc(&g)
        )?;
    }
    if let Some((label, value)) = words::perubahan(p) {
        write!(
            h,
            "<tr><td class=l>{}</td><td colspan=9 data-baris=\"perubahan\">{}</td></tr>",
            esc(&label),
            esc(&value)
        )?;
    }
    for (label, value) in extra.unwrap_or_default() {
        write!(
            h,
            "<tr><td class=l>{}</td><td colspan=9>{}</td></tr>",
            esc(label),
            esc(value)
        )?;
    }
    h.push_str("</table>");
    if let Some(low) = words::terendah(p) {
        write!(
            h,
            "<p class=\"catatan terendah\">Unsur terendah: {}.</p>",
            esc(&low)
        )?;
    }
    write!(
        h,
        "<p class=\"sumber\">{}</p></div>",
        esc(&words::sumber(p))
    )
}

fn year(h: &mut String, u: &UnitYear) -> std::fmt::Result {
    let Some(y) = &u.year else {
        h.push_str("<p>Tidak ada nilai tahunan untuk tahun ini.</p>");
        return Ok(());
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
    period(h, &y.table, u, Some(&extra))?;
    write!(
        h,
        "<p id=\"ikm-tahun\">Nilai IKM {} tahun {} sebesar <b>{}</b>{} dengan mutu pelayanan <b>{}</b> ({}), dihitung dengan {}.</p>",
        esc(&u.unit_nama),
        u.tahun,
        y.table.ikm_bulat.map(numbers::ikm).unwrap_or_else(|| "-".into()),
        match (y.table.ikm, y.table.ikm_se) {
            (Some(_), Some(se)) => format!(" ({} pada tingkat keyakinan 95%)", numbers::galat(se)),
            _ => String::new(),
        },
        y.table.mutu.as_deref().unwrap_or("-"),
        esc(y.table.kinerja.as_deref().unwrap_or("-")),
        esc(&y.aturan_kata)
    )
}

fn profile(h: &mut String, u: &UnitYear) -> std::fmt::Result {
    if u.profile.is_empty() {
        return Ok(());
    }
    h.push_str("<div class=\"blok\" id=\"profil\"><h2>Profil responden</h2><p class=\"sumber\">IKM per kelompok, dari responden tahun ini yang mengisi kolom profil.</p><table><tr><th>Dimensi</th><th>Kelompok</th><th>Responden</th><th>IKM</th><th>Cukup</th></tr>");
    for p in &u.profile {
        write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td></tr>",
            esc(&words::dimensi(&p.dimensi)),
            esc(&words::kelompok(&p.dimensi, &p.kelompok)),
            p.n_responden.map(numbers::bilangan).unwrap_or_default(),
            p.ikm_bulat.map(numbers::ikm).unwrap_or_default(),
            match p.cukup {
                Some(true) => "ya",
                Some(false) => "terlalu sedikit",
                None => "",
            }
        )?;
    }
    h.push_str("</table><p class=\"sumber\">Kelompok dengan responden di bawah minimum ditandai \"terlalu sedikit\".</p></div>");
    Ok(())
}

/// The follow-up plans (issue 16), when the follow-up table has rows for the unit and year.
fn plans(h: &mut String, u: &UnitYear) -> std::fmt::Result {
    let Some(first) = u.plans.first() else {
        return Ok(());
    };
    h.push_str(
        "<div class=\"blok\" id=\"tindak-lanjut\"><h2>Rencana Tindak Lanjut</h2><table><tr>",
    );
    for (k, _) in first {
        write!(h, "<th>{}</th>", esc(k))?;
    }
    h.push_str("</tr>");
    for row in &u.plans {
        h.push_str("<tr>");
        for (_, v) in row {
            write!(h, "<td>{}</td>", esc(v))?;
        }
        h.push_str("</tr>");
    }
    h.push_str("</table></div>");
    Ok(())
}

fn legend(h: &mut String) -> std::fmt::Result {
    h.push_str("<div class=\"blok legenda\" id=\"legenda\"><b>Kategori (warna):</b> ");
    for (m, k, range) in words::LEGENDA {
        write!(h, "<span class=\"{m}\">{m} {k}: {range}</span>")?;
    }
    h.push_str("</div>");
    Ok(())
}
