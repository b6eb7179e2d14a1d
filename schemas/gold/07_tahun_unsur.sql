-- tahun_unsur: per unit, year, rule and unsur, the yearly NRR and its answers (those of the
-- waves used). Every rule but pooled combines the waves' NRR unsur by unsur (the IKM being
-- linear in the NRR, this equals combining their IKM); a combination lacking the unsur in one
-- of its parts lacks it (null).
SELECT unit_id, tahun, 'semester' AS aturan, k, unsur, kode,
       SUM(n_jawaban) AS n_jawaban,
       CASE WHEN COUNT(nrr) = COUNT(*) THEN SUM(nrr) / COUNT(*) END AS nrr
FROM (
  SELECT unit_id, tahun, paruh, k, unsur, kode,
         CASE WHEN ada_s > 0 THEN nrr_s WHEN n_q_nrr = n_q THEN sum_q / n_q END AS nrr,
         CASE WHEN ada_s > 0 THEN nj_s ELSE nj_q END AS n_jawaban
  FROM (
    SELECT unit_id, tahun, paruh, k, unsur, kode,
           SUM(semester) AS ada_s,
           MAX(CASE WHEN semester = 1 THEN nrr END) AS nrr_s,
           SUM(CASE WHEN semester = 1 THEN n_jawaban END) AS nj_s,
           SUM(1 - semester) AS n_q,
           COUNT(CASE WHEN semester = 0 THEN nrr END) AS n_q_nrr,
           SUM(CASE WHEN semester = 0 THEN nrr END) AS sum_q,
           SUM(CASE WHEN semester = 0 THEN n_jawaban END) AS nj_q
    FROM gelombang
    GROUP BY unit_id, tahun, paruh, k, unsur, kode
  ) h07
) s07
GROUP BY unit_id, tahun, k, unsur, kode
UNION ALL
SELECT unit_id, tahun, 'pooled' AS aturan, k, unsur, kode,
       SUM(n_jawaban) AS n_jawaban,
       CAST(SUM(skor) AS DOUBLE) / NULLIF(SUM(n_jawaban), 0) AS nrr
FROM jumlah
WHERE dimensi IS NULL
GROUP BY unit_id, tahun, k, unsur, kode
UNION ALL
SELECT unit_id, tahun, 'mean' AS aturan, k, unsur, kode,
       SUM(n_jawaban) AS n_jawaban,
       CASE WHEN COUNT(nrr) = COUNT(*) THEN SUM(nrr) / COUNT(*) END AS nrr
FROM gelombang
GROUP BY unit_id, tahun, k, unsur, kode
UNION ALL
SELECT w07.unit_id, w07.tahun, 'last' AS aturan, w07.k, w07.unsur, w07.kode, w07.n_jawaban, w07.nrr
FROM gelombang w07
JOIN gelombang_ada a07 ON w07.unit_id = a07.unit_id AND w07.tahun = a07.tahun AND w07.urut = a07.urut_akhir
