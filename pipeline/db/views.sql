-- The views a dashboard reads (README, "Dashboards"). Created in the schema being loaded,
-- beside the tables they read, so they swap with it. Every statement ends with ";\n".
-- {duplikat} and {n_duplikat} are filled in by pipeline/db/views.rs: from the duplicates
-- table when the dictionary declares one and the run wrote it, else empty and NULL.

-- The city figure per year, with its 95% interval and the change from last year (and whether
-- it is beyond noise: docs/DOMAIN.md §1.12).
CREATE VIEW tren_kota AS
SELECT tahun, ikm, ikm_bulat, mutu, kinerja, n_unit, n_unit_responden, n_unit_rekap,
       n_unit_tidak_lapor, ikm_gabungan, selisih_tahun_lalu, ikm_se, ikm_bawah, ikm_atas,
       selisih_tahun_lalu_nyata
FROM ikm_kota
WHERE periode = 'TAHUN';

-- Every figure a unit counts with, with its 95% interval, the change from its figure before,
-- the gap to the city, whether each is beyond noise, and its rank with the ranks it could hold
-- within noise (docs/DOMAIN.md §1.12).
CREATE VIEW galat_unit AS
SELECT unit_id, unit_nama, jenis_unit, kecamatan, tahun, periode, sumber, n_responden, ikm,
       ikm_bulat, ikm_se, ikm_bawah, ikm_atas, tahun_sebelum, periode_sebelum, selisih_sebelum,
       selisih_sebelum_nyata, selisih_kota, selisih_kota_nyata, peringkat, peringkat_min,
       peringkat_maks
FROM ikm_unit
WHERE peringkat IS NOT NULL;

-- Per unit, its latest wave (TW1 … TW4, S1, S2) with an IKM, and the change from the wave of
-- the same kind before it (a quarter from the quarter before, a semester from the semester
-- before, across years). Per unit and year the figure from respondents where the unit has
-- raw data that year, else the recap's (as the city figure counts it).
CREATE VIEW unit_terkini AS
WITH pilihan AS (
  SELECT u.*,
         CASE WHEN u.periode LIKE 'TW%' THEN 'triwulan' ELSE 'semester' END AS jenis_periode,
         CASE u.periode WHEN 'TW1' THEN 1 WHEN 'TW2' THEN 2 WHEN 'S1' THEN 3
                        WHEN 'TW3' THEN 4 WHEN 'TW4' THEN 5 WHEN 'S2' THEN 6 END AS urut
  FROM ikm_unit u
  WHERE u.periode <> 'TAHUN' AND u.ikm IS NOT NULL
    AND (u.sumber = 'responden' OR NOT EXISTS (
          SELECT 1 FROM ikm_unit r
          WHERE r.unit_id = u.unit_id AND r.tahun = u.tahun AND r.sumber = 'responden'
            AND r.periode <> 'TAHUN' AND r.ikm IS NOT NULL))
), berurut AS (
  SELECT p.*,
         lag(p.tahun) OVER w AS tahun_sebelumnya,
         lag(p.periode) OVER w AS periode_sebelumnya,
         lag(p.ikm) OVER w AS ikm_sebelumnya,
         lag(p.ikm_se) OVER w AS se_sebelumnya,
         row_number() OVER (PARTITION BY p.unit_id ORDER BY p.tahun DESC, p.urut DESC) AS baru
  FROM pilihan p
  WINDOW w AS (PARTITION BY p.unit_id, p.jenis_periode ORDER BY p.tahun, p.urut)
)
SELECT unit_id, unit_nama, jenis_unit, kecamatan, tahun, periode, sumber, n_responden, ikm,
       ikm_bulat, mutu, kinerja, tahun_sebelumnya, periode_sebelumnya, ikm_sebelumnya,
       ikm - ikm_sebelumnya AS selisih, ikm_se, ikm_bawah, ikm_atas,
       abs(ikm - ikm_sebelumnya) > 1.959963984540054 * sqrt(ikm_se ^ 2 + se_sebelumnya ^ 2)
         + 0.000000001 AS selisih_nyata
FROM berurut
WHERE baru = 1;

-- The kecamatan offices compared per year: rank, IKM, gap to the city and to last year, and
-- the units located in each kecamatan.
CREATE VIEW perbandingan_kecamatan AS
SELECT tahun, peringkat, kecamatan, unit_id, ikm, ikm_bulat, mutu, kinerja, selisih_kota,
       selisih_tahun_lalu, n_unit_lokasi, ikm_rata_lokasi, unit_terendah_lokasi,
       ikm_terendah_lokasi, peringkat_min, peringkat_maks, ikm_se, ikm_bawah, ikm_atas,
       selisih_kota_nyata, selisih_tahun_lalu_nyata
FROM kecamatan;

-- The heat map: a row per unit × year × period × source, the NRR of U1 … U9 as columns.
CREATE VIEW peta_unsur AS
SELECT n.unit_id, nm.unit_nama, n.tahun, n.periode, n.sumber,
       max(n.nrr) FILTER (WHERE n.kode = 'U1') AS u1,
       max(n.nrr) FILTER (WHERE n.kode = 'U2') AS u2,
       max(n.nrr) FILTER (WHERE n.kode = 'U3') AS u3,
       max(n.nrr) FILTER (WHERE n.kode = 'U4') AS u4,
       max(n.nrr) FILTER (WHERE n.kode = 'U5') AS u5,
       max(n.nrr) FILTER (WHERE n.kode = 'U6') AS u6,
       max(n.nrr) FILTER (WHERE n.kode = 'U7') AS u7,
       max(n.nrr) FILTER (WHERE n.kode = 'U8') AS u8,
       max(n.nrr) FILTER (WHERE n.kode = 'U9') AS u9
FROM nrr_unsur n
LEFT JOIN (SELECT DISTINCT unit_id, unit_nama FROM ikm_unit) nm USING (unit_id)
GROUP BY n.unit_id, nm.unit_nama, n.tahun, n.periode, n.sumber;

-- What to improve first: the unsur flagged as priorities (the three lowest NRR, ties kept),
-- per unit and city-wide.
CREATE VIEW prioritas_perbaikan AS
SELECT tingkat, unit_id, tahun, periode, peringkat, urutan, kode, unsur, nrr, nrr_bulat, seri
FROM prioritas
WHERE prioritas;

-- Data quality per unit and year: the files that gave its rows, its respondents, the reject
-- lines and duplicates in those files, the audit findings on its figures, and whether it is
-- a registry unit with no yearly figure. A last row (unit_id and tahun null) holds the
-- rejects and duplicates of files that gave no accepted row to any unit.
CREATE VIEW kualitas_data AS
WITH berkas_unit AS (
  SELECT DISTINCT source_file, unit_id, tahun FROM sums WHERE dimensi IS NULL
), ditolak AS (
  SELECT source_file, count(*) AS n FROM rejects GROUP BY source_file
), duplikat AS (
  {duplikat}
), unit_tahun AS (
  SELECT unit_id, tahun FROM berkas_unit
  UNION SELECT unit_id, tahun FROM ikm_unit
  UNION SELECT unit_id, tahun FROM unit_tidak_lapor
  UNION SELECT unit_id, tahun FROM audit WHERE unit_id IS NOT NULL AND tahun IS NOT NULL
)
SELECT ut.unit_id, ut.tahun,
       (SELECT count(*) FROM berkas_unit b
        WHERE b.unit_id = ut.unit_id AND b.tahun = ut.tahun) AS n_berkas,
       (SELECT coalesce(sum(s.n_responden), 0) FROM sums s
        WHERE s.dimensi IS NULL AND s.unit_id = ut.unit_id AND s.tahun = ut.tahun)::bigint
         AS n_responden,
       (SELECT coalesce(sum(d.n), 0) FROM berkas_unit b JOIN ditolak d USING (source_file)
        WHERE b.unit_id = ut.unit_id AND b.tahun = ut.tahun)::bigint AS n_ditolak,
       {n_duplikat} AS n_duplikat,
       (SELECT count(*) FROM audit a
        WHERE a.unit_id = ut.unit_id AND a.tahun = ut.tahun) AS n_temuan_audit,
       EXISTS (SELECT 1 FROM unit_tidak_lapor t
               WHERE t.unit_id = ut.unit_id AND t.tahun = ut.tahun) AS tidak_lapor
FROM unit_tahun ut
UNION ALL
SELECT NULL, NULL, 0, 0,
       (SELECT coalesce(sum(d.n), 0) FROM ditolak d
        WHERE NOT EXISTS (SELECT 1 FROM berkas_unit b WHERE b.source_file = d.source_file))::bigint,
       {n_duplikat_tanpa_unit},
       0, false;

-- Units past a period's deadline with nothing for it, the latest first (gold/unit_terlambat:
-- empty unless the configuration has [tenggat]).
CREATE VIEW unit_terlambat_terkini AS
SELECT unit_id, unit_nama, jenis_unit, kecamatan, tahun, periode, tenggat, hari_terlambat
FROM unit_terlambat
ORDER BY hari_terlambat DESC, unit_id, tahun, periode;
