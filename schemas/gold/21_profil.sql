-- gold/profil: IKM and respondents per respondent-profile group (dimensi: jenis_layanan,
-- jenis_kelamin, pendidikan, pekerjaan, umur_kelompok), per unit and city-wide (tingkat kota,
-- unit_id null), each year's respondents pooled; a group smaller than the configuration's
-- [profil] minimum_responden (konfigurasi) is marked cukup = false.
SELECT p21.tingkat, p21.unit_id, p21.tahun, p21.dimensi, p21.kelompok, p21.n_responden, p21.ikm,
       FLOOR(p21.ikm * 100 + 0.5 + 0.000000005) / 100 AS ikm_bulat,
       p21.n_responden >= c21.minimum_responden AS cukup
FROM (
  SELECT tingkat, unit_id, tahun, dimensi, kelompok,
         SUM(CASE WHEN k = 1 THEN n_responden ELSE 0 END) AS n_responden,
         CASE WHEN COUNT(nrr) = 9 THEN SUM(nrr) / 9 * 25 END AS ikm
  FROM (
    SELECT 'unit' AS tingkat, unit_id, tahun, dimensi, kelompok, k,
           SUM(n_responden) AS n_responden,
           CAST(SUM(skor) AS DOUBLE) / NULLIF(SUM(n_jawaban), 0) AS nrr
    FROM jumlah WHERE dimensi IS NOT NULL
    GROUP BY unit_id, tahun, dimensi, kelompok, k
    UNION ALL
    SELECT 'kota' AS tingkat, CASE WHEN 1 = 0 THEN '' END AS unit_id, tahun, dimensi, kelompok, k,
           SUM(n_responden) AS n_responden,
           CAST(SUM(skor) AS DOUBLE) / NULLIF(SUM(n_jawaban), 0) AS nrr
    FROM jumlah WHERE dimensi IS NOT NULL
    GROUP BY tahun, dimensi, kelompok, k
  ) g21
  GROUP BY tingkat, unit_id, tahun, dimensi, kelompok
) p21
CROSS JOIN konfigurasi c21
