-- silang_counted: silver's cross sums that count (`silang`: every shard's silver/silang as one
-- table, with `shard`, read like `sums`), added up per unit, year, period and ordered unsur pair
-- (k, l = 1..9): yy = sum of y_k*y_l, ya = sum of y_k*a_l, ay = sum of a_k*y_l, aa = sum of
-- a_k*a_l (y the score, a = 1 where answered; a blank is 0 in both). The files in
-- berkas_identik are left out, as in sums_counted. The margins of error (galat_gelombang,
-- galat_tahun) are taken from these.
SELECT s09.unit_id, s09.tahun, s09.periode, s09.k, s09.l,
       SUM(s09.yy) AS yy, SUM(s09.ya) AS ya, SUM(s09.ay) AS ay, SUM(s09.aa) AS aa
FROM silang s09
LEFT JOIN berkas_identik b09 ON s09.shard = b09.shard AND s09.source_file = b09.source_file
WHERE b09.identik IS NULL
GROUP BY s09.unit_id, s09.tahun, s09.periode, s09.k, s09.l
