-- lebih_kunci: the rows the shards' sums count beyond what one skm run over every shard counts
-- (kunci/01_sums_counted.sql subtracts them), with how many times each (`lebih`) and the unit,
-- year, period, answers and profile values they carry. Reads `responses` (every shard's
-- silver/responses as one table, with `shard`) and berkas_identik (../00_berkas_identik.sql).
--
-- Each shard's sums already count each response once within the shard; what is left is the
-- same response counted in two shards, and skm's rule (pipeline/silver/duplicates.rs) says how
-- many times one run counts it:
-- * a response with an identity (`kunci`): in one file, c = its rows, or 1 when its time of day
--   is to the second (`jam` HH:MM:SS: the same row twice is one response submitted twice); a
--   run counts the largest c of any file, so a shard counts the largest c of its files, one run
--   the largest of all, and the rows beyond are SUM over shards - MAX over shards (identical
--   files change neither: the same c);
-- * a row without one (no time of day, never matched): counted per file, so the rows of the
--   files in berkas_identik (an identical file counts in another shard).
-- Assumed: the copies of a kunci agree on unit, year and period (the key holds the unit and the
-- time; a period column stating another period than the date's would split them, and each part
-- then counts as its own). Not reproduced: a revision (docs/inputs.md, "The same response twice", 5.)
-- whose two versions are in two shards: each shard counts its version.
SELECT unit_id, tahun, periode, persyaratan, prosedur, waktu, biaya, produk, kompetensi, perilaku, sarpras, pengaduan, jenis_layanan, jenis_kelamin, pendidikan, pekerjaan, umur_kelompok, lebih
FROM (
  SELECT kunci, unit_id, tahun, periode,
         MAX(persyaratan) AS persyaratan,
         MAX(prosedur) AS prosedur,
         MAX(waktu) AS waktu,
         MAX(biaya) AS biaya,
         MAX(produk) AS produk,
         MAX(kompetensi) AS kompetensi,
         MAX(perilaku) AS perilaku,
         MAX(sarpras) AS sarpras,
         MAX(pengaduan) AS pengaduan,
         MAX(jenis_layanan) AS jenis_layanan,
         MAX(jenis_kelamin) AS jenis_kelamin,
         MAX(pendidikan) AS pendidikan,
         MAX(pekerjaan) AS pekerjaan,
         MAX(umur_kelompok) AS umur_kelompok,
         CAST(SUM(c) - MAX(c) AS BIGINT) AS lebih
  FROM (
    SELECT kunci, shard, unit_id, tahun, periode,
           MAX(persyaratan) AS persyaratan,
           MAX(prosedur) AS prosedur,
           MAX(waktu) AS waktu,
           MAX(biaya) AS biaya,
           MAX(produk) AS produk,
           MAX(kompetensi) AS kompetensi,
           MAX(perilaku) AS perilaku,
           MAX(sarpras) AS sarpras,
           MAX(pengaduan) AS pengaduan,
           MAX(jenis_layanan) AS jenis_layanan,
           MAX(jenis_kelamin) AS jenis_kelamin,
           MAX(pendidikan) AS pendidikan,
           MAX(pekerjaan) AS pekerjaan,
           MAX(umur_kelompok) AS umur_kelompok,
           MAX(c) AS c
    FROM (
      SELECT kunci, shard, source_file, unit_id, tahun, periode,
             MAX(persyaratan) AS persyaratan,
             MAX(prosedur) AS prosedur,
             MAX(waktu) AS waktu,
             MAX(biaya) AS biaya,
             MAX(produk) AS produk,
             MAX(kompetensi) AS kompetensi,
             MAX(perilaku) AS perilaku,
             MAX(sarpras) AS sarpras,
             MAX(pengaduan) AS pengaduan,
             MAX(jenis_layanan) AS jenis_layanan,
             MAX(jenis_kelamin) AS jenis_kelamin,
             MAX(pendidikan) AS pendidikan,
             MAX(pekerjaan) AS pekerjaan,
             MAX(umur_kelompok) AS umur_kelompok,
             CASE WHEN MIN(LENGTH(jam)) = 8 THEN 1 ELSE COUNT(*) END AS c
      FROM responses
      WHERE kunci IS NOT NULL
      GROUP BY kunci, shard, source_file, unit_id, tahun, periode
    ) f00
    GROUP BY kunci, shard, unit_id, tahun, periode
  ) g00
  GROUP BY kunci, unit_id, tahun, periode
) k00
WHERE lebih > 0
UNION ALL
SELECT r02.unit_id, r02.tahun, r02.periode, r02.persyaratan, r02.prosedur, r02.waktu, r02.biaya, r02.produk, r02.kompetensi, r02.perilaku, r02.sarpras, r02.pengaduan, r02.jenis_layanan, r02.jenis_kelamin, r02.pendidikan, r02.pekerjaan, r02.umur_kelompok, CAST(COUNT(*) AS BIGINT) AS lebih
FROM responses r02
JOIN berkas_identik b02 ON r02.shard = b02.shard AND r02.source_file = b02.source_file
WHERE r02.kunci IS NULL
GROUP BY r02.unit_id, r02.tahun, r02.periode, r02.persyaratan, r02.prosedur, r02.waktu, r02.biaya, r02.produk, r02.kompetensi, r02.perilaku, r02.sarpras, r02.pengaduan, r02.jenis_layanan, r02.jenis_kelamin, r02.pendidikan, r02.pekerjaan, r02.umur_kelompok
