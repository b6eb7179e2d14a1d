//! The dashboard views (`views.sql`), with the duplicates table joined in when there is one.

use crate::tables::TableDef;

const VIEWS_SQL: &str = include_str!("views.sql");

/// The names of the views, in the order they are created.
pub fn names() -> Vec<&'static str> {
    VIEWS_SQL
        .lines()
        .filter_map(|l| l.strip_prefix("CREATE VIEW "))
        .filter_map(|l| l.split_whitespace().next())
        .collect()
}

/// The duplicates table, found by the dictionary rather than named in code: a table called
/// `duplikat…` with a `source_file` column.
pub fn duplicates<'a>(loaded: &[&'a TableDef]) -> Option<&'a TableDef> {
    loaded
        .iter()
        .find(|t| {
            t.name.starts_with("duplikat") && t.columns.iter().any(|c| c.name == "source_file")
        })
        .copied()
}

/// The statements creating every view, in order.
pub fn statements(duplicates: Option<&TableDef>) -> Vec<String> {
    let (cte, per_unit, unitless) = match duplicates {
        Some(t) => (
            format!(
                "SELECT source_file, count(*) AS n FROM {} GROUP BY source_file",
                super::ident(&t.name)
            ),
            "(SELECT coalesce(sum(d.n), 0) FROM berkas_unit b JOIN duplikat d USING (source_file) \
             WHERE b.unit_id = ut.unit_id AND b.tahun = ut.tahun)::bigint"
                .to_string(),
            "(SELECT coalesce(sum(d.n), 0) FROM duplikat d WHERE NOT EXISTS \
             (SELECT 1 FROM berkas_unit b WHERE b.source_file = d.source_file))::bigint"
                .to_string(),
        ),
        None => (
            "SELECT NULL::text AS source_file, 0::bigint AS n WHERE false".to_string(),
            "NULL::bigint".to_string(),
            "NULL::bigint".to_string(),
        ),
    };
    let text = VIEWS_SQL
        .replace("{duplikat}", &cte)
        .replace("{n_duplikat}", &per_unit)
        .replace("{n_duplikat_tanpa_unit}", &unitless);
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    code.split(";\n")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches(';').to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn eight_views_each_one_statement() {
        assert_eq!(
            super::names(),
            [
                "tren_kota",
                "galat_unit",
                "unit_terkini",
                "perbandingan_kecamatan",
                "peta_unsur",
                "prioritas_perbaikan",
                "kualitas_data",
                "unit_terlambat_terkini"
            ]
        );
        let s = super::statements(None);
        assert_eq!(s.len(), 8);
        assert!(s.iter().all(|v| v.starts_with("CREATE VIEW ")));
        assert!(s.iter().all(|v| !v.contains('{')), "placeholders filled");
    }
}
