-- silang_counted, with every response counted once over all the shards (as
-- kunci/01_sums_counted.sql): the cross sums of the rows in lebih_kunci, each `lebih` times,
-- subtracted from every shard's. The ordered pairs (k, l) are those silang holds.
SELECT unit_id, tahun, periode, k, l, SUM(yy) AS yy, SUM(ya) AS ya, SUM(ay) AS ay, SUM(aa) AS aa
FROM (
  SELECT unit_id, tahun, periode, k, l, yy, ya, ay, aa
  FROM silang
  UNION ALL
  SELECT unit_id, tahun, periode, k, l,
         0 - SUM(lebih * COALESCE(yk, 0) * COALESCE(yl, 0)) AS yy,
         0 - SUM(CASE WHEN yl IS NULL THEN 0 ELSE lebih * COALESCE(yk, 0) END) AS ya,
         0 - SUM(CASE WHEN yk IS NULL THEN 0 ELSE lebih * COALESCE(yl, 0) END) AS ay,
         0 - SUM(CASE WHEN yk IS NULL OR yl IS NULL THEN 0 ELSE lebih END) AS aa
  FROM (
    SELECT x09.unit_id, x09.tahun, x09.periode, x09.lebih, p09.k, p09.l,
           CASE p09.k WHEN 1 THEN x09.persyaratan WHEN 2 THEN x09.prosedur WHEN 3 THEN x09.waktu
                      WHEN 4 THEN x09.biaya WHEN 5 THEN x09.produk WHEN 6 THEN x09.kompetensi
                      WHEN 7 THEN x09.perilaku WHEN 8 THEN x09.sarpras WHEN 9 THEN x09.pengaduan END AS yk,
           CASE p09.l WHEN 1 THEN x09.persyaratan WHEN 2 THEN x09.prosedur WHEN 3 THEN x09.waktu
                      WHEN 4 THEN x09.biaya WHEN 5 THEN x09.produk WHEN 6 THEN x09.kompetensi
                      WHEN 7 THEN x09.perilaku WHEN 8 THEN x09.sarpras WHEN 9 THEN x09.pengaduan END AS yl
    FROM lebih_kunci x09
    CROSS JOIN (SELECT DISTINCT k, l FROM silang) p09
  ) y09
  GROUP BY unit_id, tahun, periode, k, l
) s09
GROUP BY unit_id, tahun, periode, k, l
