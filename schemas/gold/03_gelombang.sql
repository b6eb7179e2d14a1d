-- gelombang: each survey wave (a unit's period: TW1-TW4, S1, S2) per unsur, all its files
-- added up. urut is the period's place in the year (TW1, TW2, S1, TW3, TW4, S2), paruh its
-- half (1: TW1, TW2, S1; 2: TW3, TW4, S2), semester 1 for a semester wave (S1, S2).
SELECT unit_id, tahun, periode,
       CASE periode WHEN 'TW1' THEN 1 WHEN 'TW2' THEN 2 WHEN 'S1' THEN 3
                    WHEN 'TW3' THEN 4 WHEN 'TW4' THEN 5 WHEN 'S2' THEN 6 END AS urut,
       CASE WHEN periode IN ('TW1', 'TW2', 'S1') THEN 1 ELSE 2 END AS paruh,
       CASE WHEN periode IN ('S1', 'S2') THEN 1 ELSE 0 END AS semester,
       k, unsur, kode, n_responden, n_jawaban,
       CAST(skor AS DOUBLE) / NULLIF(n_jawaban, 0) AS nrr
FROM (
  SELECT unit_id, tahun, periode, k, unsur, kode,
         SUM(n_responden) AS n_responden, SUM(skor) AS skor, SUM(n_jawaban) AS n_jawaban
  FROM jumlah
  WHERE dimensi IS NULL
  GROUP BY unit_id, tahun, periode, k, unsur, kode
) s03
