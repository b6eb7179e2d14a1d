-- sums_counted, with every response counted once over all the shards, keyed responses
-- included (README.md in this folder, "Responses sent twice"). Put this file in place of
-- ../01_sums_counted.sql and register every shard's silver/responses as `responses` (one table,
-- with `shard`, like `sums`); bench/spark/gold_sql.py does both when a response has a `kunci`.
--
-- The rows the shards count beyond one run (lebih_kunci: 00_lebih_kunci.sql says the rule) are
-- subtracted from the sums of every shard: from the total of their unit, year and period, and
-- from each of their profile groups.
SELECT unit_id, tahun, periode, dimensi, kelompok, SUM(n_responden) AS n_responden,
       SUM(persyaratan__sum) AS persyaratan__sum, SUM(persyaratan__n) AS persyaratan__n,
       SUM(prosedur__sum) AS prosedur__sum, SUM(prosedur__n) AS prosedur__n,
       SUM(waktu__sum) AS waktu__sum, SUM(waktu__n) AS waktu__n,
       SUM(biaya__sum) AS biaya__sum, SUM(biaya__n) AS biaya__n,
       SUM(produk__sum) AS produk__sum, SUM(produk__n) AS produk__n,
       SUM(kompetensi__sum) AS kompetensi__sum, SUM(kompetensi__n) AS kompetensi__n,
       SUM(perilaku__sum) AS perilaku__sum, SUM(perilaku__n) AS perilaku__n,
       SUM(sarpras__sum) AS sarpras__sum, SUM(sarpras__n) AS sarpras__n,
       SUM(pengaduan__sum) AS pengaduan__sum, SUM(pengaduan__n) AS pengaduan__n
FROM (
  SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden, persyaratan__sum, persyaratan__n, prosedur__sum, prosedur__n, waktu__sum, waktu__n, biaya__sum, biaya__n, produk__sum, produk__n, kompetensi__sum, kompetensi__n, perilaku__sum, perilaku__n, sarpras__sum, sarpras__n, pengaduan__sum, pengaduan__n
  FROM sums
  UNION ALL
  SELECT unit_id, tahun, periode, CASE WHEN 1 = 0 THEN '' END AS dimensi,
         CASE WHEN 1 = 0 THEN '' END AS kelompok, 0 - SUM(lebih) AS n_responden,
         0 - SUM(lebih * COALESCE(persyaratan, 0)) AS persyaratan__sum, 0 - SUM(CASE WHEN persyaratan IS NULL THEN 0 ELSE lebih END) AS persyaratan__n,
         0 - SUM(lebih * COALESCE(prosedur, 0)) AS prosedur__sum, 0 - SUM(CASE WHEN prosedur IS NULL THEN 0 ELSE lebih END) AS prosedur__n,
         0 - SUM(lebih * COALESCE(waktu, 0)) AS waktu__sum, 0 - SUM(CASE WHEN waktu IS NULL THEN 0 ELSE lebih END) AS waktu__n,
         0 - SUM(lebih * COALESCE(biaya, 0)) AS biaya__sum, 0 - SUM(CASE WHEN biaya IS NULL THEN 0 ELSE lebih END) AS biaya__n,
         0 - SUM(lebih * COALESCE(produk, 0)) AS produk__sum, 0 - SUM(CASE WHEN produk IS NULL THEN 0 ELSE lebih END) AS produk__n,
         0 - SUM(lebih * COALESCE(kompetensi, 0)) AS kompetensi__sum, 0 - SUM(CASE WHEN kompetensi IS NULL THEN 0 ELSE lebih END) AS kompetensi__n,
         0 - SUM(lebih * COALESCE(perilaku, 0)) AS perilaku__sum, 0 - SUM(CASE WHEN perilaku IS NULL THEN 0 ELSE lebih END) AS perilaku__n,
         0 - SUM(lebih * COALESCE(sarpras, 0)) AS sarpras__sum, 0 - SUM(CASE WHEN sarpras IS NULL THEN 0 ELSE lebih END) AS sarpras__n,
         0 - SUM(lebih * COALESCE(pengaduan, 0)) AS pengaduan__sum, 0 - SUM(CASE WHEN pengaduan IS NULL THEN 0 ELSE lebih END) AS pengaduan__n
  FROM lebih_kunci
  GROUP BY unit_id, tahun, periode
  UNION ALL
  SELECT unit_id, tahun, periode, 'jenis_layanan' AS dimensi, jenis_layanan AS kelompok, 0 - SUM(lebih) AS n_responden,
         0 - SUM(lebih * COALESCE(persyaratan, 0)) AS persyaratan__sum, 0 - SUM(CASE WHEN persyaratan IS NULL THEN 0 ELSE lebih END) AS persyaratan__n,
         0 - SUM(lebih * COALESCE(prosedur, 0)) AS prosedur__sum, 0 - SUM(CASE WHEN prosedur IS NULL THEN 0 ELSE lebih END) AS prosedur__n,
         0 - SUM(lebih * COALESCE(waktu, 0)) AS waktu__sum, 0 - SUM(CASE WHEN waktu IS NULL THEN 0 ELSE lebih END) AS waktu__n,
         0 - SUM(lebih * COALESCE(biaya, 0)) AS biaya__sum, 0 - SUM(CASE WHEN biaya IS NULL THEN 0 ELSE lebih END) AS biaya__n,
         0 - SUM(lebih * COALESCE(produk, 0)) AS produk__sum, 0 - SUM(CASE WHEN produk IS NULL THEN 0 ELSE lebih END) AS produk__n,
         0 - SUM(lebih * COALESCE(kompetensi, 0)) AS kompetensi__sum, 0 - SUM(CASE WHEN kompetensi IS NULL THEN 0 ELSE lebih END) AS kompetensi__n,
         0 - SUM(lebih * COALESCE(perilaku, 0)) AS perilaku__sum, 0 - SUM(CASE WHEN perilaku IS NULL THEN 0 ELSE lebih END) AS perilaku__n,
         0 - SUM(lebih * COALESCE(sarpras, 0)) AS sarpras__sum, 0 - SUM(CASE WHEN sarpras IS NULL THEN 0 ELSE lebih END) AS sarpras__n,
         0 - SUM(lebih * COALESCE(pengaduan, 0)) AS pengaduan__sum, 0 - SUM(CASE WHEN pengaduan IS NULL THEN 0 ELSE lebih END) AS pengaduan__n
  FROM lebih_kunci
  WHERE jenis_layanan IS NOT NULL
  GROUP BY unit_id, tahun, periode, jenis_layanan
  UNION ALL
  SELECT unit_id, tahun, periode, 'jenis_kelamin' AS dimensi, jenis_kelamin AS kelompok, 0 - SUM(lebih) AS n_responden,
         0 - SUM(lebih * COALESCE(persyaratan, 0)) AS persyaratan__sum, 0 - SUM(CASE WHEN persyaratan IS NULL THEN 0 ELSE lebih END) AS persyaratan__n,
         0 - SUM(lebih * COALESCE(prosedur, 0)) AS prosedur__sum, 0 - SUM(CASE WHEN prosedur IS NULL THEN 0 ELSE lebih END) AS prosedur__n,
         0 - SUM(lebih * COALESCE(waktu, 0)) AS waktu__sum, 0 - SUM(CASE WHEN waktu IS NULL THEN 0 ELSE lebih END) AS waktu__n,
         0 - SUM(lebih * COALESCE(biaya, 0)) AS biaya__sum, 0 - SUM(CASE WHEN biaya IS NULL THEN 0 ELSE lebih END) AS biaya__n,
         0 - SUM(lebih * COALESCE(produk, 0)) AS produk__sum, 0 - SUM(CASE WHEN produk IS NULL THEN 0 ELSE lebih END) AS produk__n,
         0 - SUM(lebih * COALESCE(kompetensi, 0)) AS kompetensi__sum, 0 - SUM(CASE WHEN kompetensi IS NULL THEN 0 ELSE lebih END) AS kompetensi__n,
         0 - SUM(lebih * COALESCE(perilaku, 0)) AS perilaku__sum, 0 - SUM(CASE WHEN perilaku IS NULL THEN 0 ELSE lebih END) AS perilaku__n,
         0 - SUM(lebih * COALESCE(sarpras, 0)) AS sarpras__sum, 0 - SUM(CASE WHEN sarpras IS NULL THEN 0 ELSE lebih END) AS sarpras__n,
         0 - SUM(lebih * COALESCE(pengaduan, 0)) AS pengaduan__sum, 0 - SUM(CASE WHEN pengaduan IS NULL THEN 0 ELSE lebih END) AS pengaduan__n
  FROM lebih_kunci
  WHERE jenis_kelamin IS NOT NULL
  GROUP BY unit_id, tahun, periode, jenis_kelamin
  UNION ALL
  SELECT unit_id, tahun, periode, 'pendidikan' AS dimensi, pendidikan AS kelompok, 0 - SUM(lebih) AS n_responden,
         0 - SUM(lebih * COALESCE(persyaratan, 0)) AS persyaratan__sum, 0 - SUM(CASE WHEN persyaratan IS NULL THEN 0 ELSE lebih END) AS persyaratan__n,
         0 - SUM(lebih * COALESCE(prosedur, 0)) AS prosedur__sum, 0 - SUM(CASE WHEN prosedur IS NULL THEN 0 ELSE lebih END) AS prosedur__n,
         0 - SUM(lebih * COALESCE(waktu, 0)) AS waktu__sum, 0 - SUM(CASE WHEN waktu IS NULL THEN 0 ELSE lebih END) AS waktu__n,
         0 - SUM(lebih * COALESCE(biaya, 0)) AS biaya__sum, 0 - SUM(CASE WHEN biaya IS NULL THEN 0 ELSE lebih END) AS biaya__n,
         0 - SUM(lebih * COALESCE(produk, 0)) AS produk__sum, 0 - SUM(CASE WHEN produk IS NULL THEN 0 ELSE lebih END) AS produk__n,
         0 - SUM(lebih * COALESCE(kompetensi, 0)) AS kompetensi__sum, 0 - SUM(CASE WHEN kompetensi IS NULL THEN 0 ELSE lebih END) AS kompetensi__n,
         0 - SUM(lebih * COALESCE(perilaku, 0)) AS perilaku__sum, 0 - SUM(CASE WHEN perilaku IS NULL THEN 0 ELSE lebih END) AS perilaku__n,
         0 - SUM(lebih * COALESCE(sarpras, 0)) AS sarpras__sum, 0 - SUM(CASE WHEN sarpras IS NULL THEN 0 ELSE lebih END) AS sarpras__n,
         0 - SUM(lebih * COALESCE(pengaduan, 0)) AS pengaduan__sum, 0 - SUM(CASE WHEN pengaduan IS NULL THEN 0 ELSE lebih END) AS pengaduan__n
  FROM lebih_kunci
  WHERE pendidikan IS NOT NULL
  GROUP BY unit_id, tahun, periode, pendidikan
  UNION ALL
  SELECT unit_id, tahun, periode, 'pekerjaan' AS dimensi, pekerjaan AS kelompok, 0 - SUM(lebih) AS n_responden,
         0 - SUM(lebih * COALESCE(persyaratan, 0)) AS persyaratan__sum, 0 - SUM(CASE WHEN persyaratan IS NULL THEN 0 ELSE lebih END) AS persyaratan__n,
         0 - SUM(lebih * COALESCE(prosedur, 0)) AS prosedur__sum, 0 - SUM(CASE WHEN prosedur IS NULL THEN 0 ELSE lebih END) AS prosedur__n,
         0 - SUM(lebih * COALESCE(waktu, 0)) AS waktu__sum, 0 - SUM(CASE WHEN waktu IS NULL THEN 0 ELSE lebih END) AS waktu__n,
         0 - SUM(lebih * COALESCE(biaya, 0)) AS biaya__sum, 0 - SUM(CASE WHEN biaya IS NULL THEN 0 ELSE lebih END) AS biaya__n,
         0 - SUM(lebih * COALESCE(produk, 0)) AS produk__sum, 0 - SUM(CASE WHEN produk IS NULL THEN 0 ELSE lebih END) AS produk__n,
         0 - SUM(lebih * COALESCE(kompetensi, 0)) AS kompetensi__sum, 0 - SUM(CASE WHEN kompetensi IS NULL THEN 0 ELSE lebih END) AS kompetensi__n,
         0 - SUM(lebih * COALESCE(perilaku, 0)) AS perilaku__sum, 0 - SUM(CASE WHEN perilaku IS NULL THEN 0 ELSE lebih END) AS perilaku__n,
         0 - SUM(lebih * COALESCE(sarpras, 0)) AS sarpras__sum, 0 - SUM(CASE WHEN sarpras IS NULL THEN 0 ELSE lebih END) AS sarpras__n,
         0 - SUM(lebih * COALESCE(pengaduan, 0)) AS pengaduan__sum, 0 - SUM(CASE WHEN pengaduan IS NULL THEN 0 ELSE lebih END) AS pengaduan__n
  FROM lebih_kunci
  WHERE pekerjaan IS NOT NULL
  GROUP BY unit_id, tahun, periode, pekerjaan
  UNION ALL
  SELECT unit_id, tahun, periode, 'umur_kelompok' AS dimensi, umur_kelompok AS kelompok, 0 - SUM(lebih) AS n_responden,
         0 - SUM(lebih * COALESCE(persyaratan, 0)) AS persyaratan__sum, 0 - SUM(CASE WHEN persyaratan IS NULL THEN 0 ELSE lebih END) AS persyaratan__n,
         0 - SUM(lebih * COALESCE(prosedur, 0)) AS prosedur__sum, 0 - SUM(CASE WHEN prosedur IS NULL THEN 0 ELSE lebih END) AS prosedur__n,
         0 - SUM(lebih * COALESCE(waktu, 0)) AS waktu__sum, 0 - SUM(CASE WHEN waktu IS NULL THEN 0 ELSE lebih END) AS waktu__n,
         0 - SUM(lebih * COALESCE(biaya, 0)) AS biaya__sum, 0 - SUM(CASE WHEN biaya IS NULL THEN 0 ELSE lebih END) AS biaya__n,
         0 - SUM(lebih * COALESCE(produk, 0)) AS produk__sum, 0 - SUM(CASE WHEN produk IS NULL THEN 0 ELSE lebih END) AS produk__n,
         0 - SUM(lebih * COALESCE(kompetensi, 0)) AS kompetensi__sum, 0 - SUM(CASE WHEN kompetensi IS NULL THEN 0 ELSE lebih END) AS kompetensi__n,
         0 - SUM(lebih * COALESCE(perilaku, 0)) AS perilaku__sum, 0 - SUM(CASE WHEN perilaku IS NULL THEN 0 ELSE lebih END) AS perilaku__n,
         0 - SUM(lebih * COALESCE(sarpras, 0)) AS sarpras__sum, 0 - SUM(CASE WHEN sarpras IS NULL THEN 0 ELSE lebih END) AS sarpras__n,
         0 - SUM(lebih * COALESCE(pengaduan, 0)) AS pengaduan__sum, 0 - SUM(CASE WHEN pengaduan IS NULL THEN 0 ELSE lebih END) AS pengaduan__n
  FROM lebih_kunci
  WHERE umur_kelompok IS NOT NULL
  GROUP BY unit_id, tahun, periode, umur_kelompok
) s01
GROUP BY unit_id, tahun, periode, dimensi, kelompok
