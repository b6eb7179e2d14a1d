-- DuckDB peer of `skm run` for the benchmark: the same work on the CSV inbox, in SQL.
--
-- Run by duckdb_skm.py, which replaces ${inbox}, ${out} and ${units} (paths, quotes doubled)
-- and executes the whole file in an in-memory database with DuckDB's default settings
-- (all cores). The last statement is the summary the peer prints as JSON.
--
-- The unit and period come from each row ("Unit Layanan", "Tanggal"), never from the file name,
-- so a file per unit × quarter, 4 quarterly files or 1 yearly file (`skm gen --layout`) are
-- read alike ('**/*.csv' also matches the files directly in the inbox).
--
-- 1. read every CSV (all cells as text), 2. validate each row (answers blank or 1–4, unit in
-- the registry, date dd/mm/yyyy not after today, at least one answer), 3. write the accepted
-- rows as silver Parquet (zstd, partitioned by tahun=), 4. NRR per unit × tahun × periode ×
-- unsur, IKM per unit × period, 5. the yearly IKM by the semester rule (on the NRR, unsur by
-- unsur), 6. the city IKM (plain mean of the units' yearly IKM), 7. the gold tables as Parquet.

CREATE TEMP TABLE units AS
SELECT lower(trim(unit_nama)) AS nama_key, unit_id
FROM read_csv('${units}', delim = '\t', header = true, all_varchar = true);

CREATE VIEW raw AS
SELECT
    replace(c.filename, '${inbox}/', '') AS source_file,
    TRY_CAST(c."No" AS BIGINT) + 1 AS source_row,
    u.unit_id,
    TRY_STRPTIME(trim(c."Tanggal"), '%d/%m/%Y')::DATE AS tanggal,
    c."Jenis Kelamin" AS jenis_kelamin,
    TRY_CAST(trim(c."Umur") AS INTEGER) AS umur,
    c."Pendidikan" AS pendidikan,
    c."Pekerjaan" AS pekerjaan,
    c."Jenis Layanan" AS jenis_layanan,
    nullif(trim(c."U1"), '') AS t1,
    nullif(trim(c."U2"), '') AS t2,
    nullif(trim(c."U3"), '') AS t3,
    nullif(trim(c."U4"), '') AS t4,
    nullif(trim(c."U5"), '') AS t5,
    nullif(trim(c."U6"), '') AS t6,
    nullif(trim(c."U7"), '') AS t7,
    nullif(trim(c."U8"), '') AS t8,
    nullif(trim(c."U9"), '') AS t9
FROM read_csv('${inbox}/**/*.csv', delim = ';', quote = '"', header = true,
              all_varchar = true, filename = true) AS c
LEFT JOIN units AS u ON lower(trim(c."Unit Layanan")) = u.nama_key;

-- Every row read, typed, with whether it is accepted (read once from the CSV files).
CREATE TEMP TABLE checked AS
SELECT
    unit_id,
    tanggal,
    year(tanggal)::INTEGER AS tahun,
    'TW' || quarter(tanggal) AS periode,
    jenis_kelamin, umur, pendidikan, pekerjaan, jenis_layanan,
    TRY_CAST(t1 AS UTINYINT) AS U1,
    TRY_CAST(t2 AS UTINYINT) AS U2,
    TRY_CAST(t3 AS UTINYINT) AS U3,
    TRY_CAST(t4 AS UTINYINT) AS U4,
    TRY_CAST(t5 AS UTINYINT) AS U5,
    TRY_CAST(t6 AS UTINYINT) AS U6,
    TRY_CAST(t7 AS UTINYINT) AS U7,
    TRY_CAST(t8 AS UTINYINT) AS U8,
    TRY_CAST(t9 AS UTINYINT) AS U9,
    source_file,
    source_row,
    (unit_id IS NOT NULL
     AND tanggal IS NOT NULL AND tanggal <= current_date
     AND coalesce(t1 IN ('1', '2', '3', '4'), true)
     AND coalesce(t2 IN ('1', '2', '3', '4'), true)
     AND coalesce(t3 IN ('1', '2', '3', '4'), true)
     AND coalesce(t4 IN ('1', '2', '3', '4'), true)
     AND coalesce(t5 IN ('1', '2', '3', '4'), true)
     AND coalesce(t6 IN ('1', '2', '3', '4'), true)
     AND coalesce(t7 IN ('1', '2', '3', '4'), true)
     AND coalesce(t8 IN ('1', '2', '3', '4'), true)
     AND coalesce(t9 IN ('1', '2', '3', '4'), true)
     AND coalesce(t1, t2, t3, t4, t5, t6, t7, t8, t9) IS NOT NULL) AS ok
FROM raw;

CREATE VIEW responses AS SELECT * EXCLUDE (ok) FROM checked WHERE ok;

COPY responses TO '${out}/silver/responses'
    (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (tahun));

-- Sums and answer counts per unit × tahun × periode (a blank is NULL: not counted).
CREATE TEMP TABLE wave AS
SELECT unit_id, tahun, periode, count(*) AS n_responden,
    sum(U1) AS s1, count(U1) AS c1, sum(U2) AS s2, count(U2) AS c2,
    sum(U3) AS s3, count(U3) AS c3, sum(U4) AS s4, count(U4) AS c4,
    sum(U5) AS s5, count(U5) AS c5, sum(U6) AS s6, count(U6) AS c6,
    sum(U7) AS s7, count(U7) AS c7, sum(U8) AS s8, count(U8) AS c8,
    sum(U9) AS s9, count(U9) AS c9
FROM responses
GROUP BY unit_id, tahun, periode;

-- NRR per unsur, wide (one row per unit × tahun × periode).
CREATE TEMP TABLE wave_nrr AS
SELECT unit_id, tahun, periode, n_responden,
    s1 / nullif(c1, 0) AS U1, s2 / nullif(c2, 0) AS U2, s3 / nullif(c3, 0) AS U3,
    s4 / nullif(c4, 0) AS U4, s5 / nullif(c5, 0) AS U5, s6 / nullif(c6, 0) AS U6,
    s7 / nullif(c7, 0) AS U7, s8 / nullif(c8, 0) AS U8, s9 / nullif(c9, 0) AS U9
FROM wave;

CREATE TEMP TABLE nrr_unsur AS
SELECT w.unit_id, w.tahun, w.periode, k.kode, k.n_jawaban, k.nrr
FROM wave AS w, wave_nrr AS n,
    LATERAL (VALUES
        ('U1', w.c1, n.U1), ('U2', w.c2, n.U2), ('U3', w.c3, n.U3),
        ('U4', w.c4, n.U4), ('U5', w.c5, n.U5), ('U6', w.c6, n.U6),
        ('U7', w.c7, n.U7), ('U8', w.c8, n.U8), ('U9', w.c9, n.U9)
    ) AS k(kode, n_jawaban, nrr)
WHERE w.unit_id = n.unit_id AND w.tahun = n.tahun AND w.periode = n.periode
ORDER BY w.unit_id, w.tahun, w.periode, k.kode;

CREATE TEMP TABLE ikm_unit AS
SELECT unit_id, tahun, periode, n_responden,
    (U1 + U2 + U3 + U4 + U5 + U6 + U7 + U8 + U9) / 9 * 25 AS ikm
FROM wave_nrr
ORDER BY unit_id, tahun, periode;

-- The semester rule, unsur by unsur: S1 = mean(TW1, TW2), S2 = mean(TW3, TW4) (the one
-- present if only one); the year = mean(S1, S2) likewise.
CREATE TEMP TABLE semester AS
SELECT unit_id, tahun, CASE WHEN periode IN ('TW1', 'TW2') THEN 'S1' ELSE 'S2' END AS semester,
    avg(U1) AS U1, avg(U2) AS U2, avg(U3) AS U3, avg(U4) AS U4, avg(U5) AS U5,
    avg(U6) AS U6, avg(U7) AS U7, avg(U8) AS U8, avg(U9) AS U9
FROM wave_nrr
GROUP BY ALL;

CREATE TEMP TABLE ikm_tahun AS
SELECT unit_id, tahun,
    (avg(U1) + avg(U2) + avg(U3) + avg(U4) + avg(U5) + avg(U6) + avg(U7) + avg(U8) + avg(U9))
        / 9 * 25 AS ikm
FROM semester
GROUP BY unit_id, tahun
ORDER BY unit_id, tahun;

CREATE TEMP TABLE ikm_kota AS
SELECT tahun, avg(ikm) AS ikm, count(ikm) AS n_unit
FROM ikm_tahun
GROUP BY tahun
ORDER BY tahun;

COPY nrr_unsur TO '${out}/gold/nrr_unsur.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY ikm_unit TO '${out}/gold/ikm_unit.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY ikm_tahun TO '${out}/gold/ikm_tahun.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY ikm_kota TO '${out}/gold/ikm_kota.parquet' (FORMAT parquet, COMPRESSION zstd);

SELECT
    count(*) AS rows_read,
    count(*) FILTER (WHERE ok) AS accepted,
    count(*) FILTER (WHERE NOT ok) AS rejected,
    (SELECT count(DISTINCT unit_id) FROM ikm_tahun) AS units,
    (SELECT ikm FROM ikm_kota ORDER BY tahun DESC LIMIT 1) AS city_ikm
FROM checked;
