-- galat_gelombang: per unit, year and wave, and per year with all its respondents pooled
-- (periode 'TAHUN'), the variance of each NRR (k = 1..9) and of the IKM (k = 0), by
-- linearization over the respondents (docs/DOMAIN.md §1.12): with R the NRR and n_k its answers,
--   S = sum over the pairs (k, l) of w_k w_l (yy - R_l ya - R_k ay + R_k R_l aa) / (n_k n_l),
--   var = n / (n - 1) * max(S, 0) * (1 - n / populasi)   (the last factor with a population, >= 0)
-- with w = 25/9 on every unsur for the IKM and w = 1 on unsur k alone for its NRR. Null with
-- fewer than two respondents, and for the IKM when an unsur has no answer.
WITH w09 AS (
  SELECT unit_id, tahun, periode, k, n_responden, n_jawaban, nrr FROM gelombang
  UNION ALL
  SELECT t09.unit_id, t09.tahun, 'TAHUN' AS periode, t09.k, n09.n_responden, t09.n_jawaban, t09.nrr
  FROM tahun_unsur t09
  JOIN (SELECT unit_id, tahun, SUM(n_responden) AS n_responden FROM gelombang WHERE k = 1
        GROUP BY unit_id, tahun) n09
    ON t09.unit_id = n09.unit_id AND t09.tahun = n09.tahun
  WHERE t09.aturan = 'pooled'
),
c09 AS (
  SELECT unit_id, tahun, periode, k, l, yy, ya, ay, aa FROM silang_counted
  UNION ALL
  SELECT unit_id, tahun, 'TAHUN' AS periode, k, l, SUM(yy) AS yy, SUM(ya) AS ya, SUM(ay) AS ay,
         SUM(aa) AS aa
  FROM silang_counted
  GROUP BY unit_id, tahun, k, l
),
p09 AS (
  SELECT c.unit_id, c.tahun, c.periode, c.k, c.l, a.n_responden,
         (c.yy - b.nrr * c.ya - a.nrr * c.ay + a.nrr * b.nrr * c.aa)
           / (a.n_jawaban * b.n_jawaban) AS term
  FROM c09 c
  JOIN w09 a ON c.unit_id = a.unit_id AND c.tahun = a.tahun AND c.periode = a.periode AND c.k = a.k
  JOIN w09 b ON c.unit_id = b.unit_id AND c.tahun = b.tahun AND c.periode = b.periode AND c.l = b.k
),
v09 AS (
  SELECT unit_id, tahun, periode, 0 AS k, MAX(n_responden) AS n_responden,
         COUNT(term) AS pasang, 81 AS perlu, SUM(term) * 625.0 / 81.0 AS s
  FROM p09
  GROUP BY unit_id, tahun, periode
  UNION ALL
  SELECT unit_id, tahun, periode, k, MAX(n_responden) AS n_responden,
         COUNT(term) AS pasang, 1 AS perlu, SUM(term) AS s
  FROM p09
  WHERE k = l
  GROUP BY unit_id, tahun, periode, k
)
SELECT v09.unit_id, v09.tahun, v09.periode, v09.k,
       CASE WHEN v09.n_responden >= 2 AND v09.pasang = v09.perlu
            THEN CASE WHEN v09.s < 0 THEN 0 ELSE v09.s END
                 * v09.n_responden / (v09.n_responden - 1.0)
                 * CASE WHEN u09.populasi > 0 AND v09.n_responden >= u09.populasi THEN 0
                        WHEN u09.populasi > 0 THEN 1 - v09.n_responden / CAST(u09.populasi AS DOUBLE)
                        ELSE 1 END
       END AS var
FROM v09
LEFT JOIN units u09 ON v09.unit_id = u09.unit_id
