-- gold/kecamatan: per year with a city figure, the kecamatan offices (registry units of
-- jenis_unit kecamatan) ranked by their yearly IKM (ties, and offices without a figure, in
-- registry order; peringkat null without a figure), the gap to the city mean and to last year,
-- and the other units located in the kecamatan (by the registry, or inferred from a kelurahan
-- in their name): how many have a figure, their mean and the lowest. Margins (docs/DOMAIN.md
-- §1.12): ikm_se the office's; peringkat_min/maks the ranks it could hold within noise (the
-- offices beyond noise above it, below it; a recap's figure counted as exact); *_nyata whether a
-- gap is beyond noise at 95% (to the city mean: (1 - 1/n)^2 var + (the other units' var) / n^2).
SELECT o18.tahun, o18.kecamatan, o18.unit_id, r18.peringkat,
       q18.peringkat_min, q18.peringkat_maks, v18.ikm,
       v18.h / 100 AS ikm_bulat,
       CASE WHEN v18.h BETWEEN 8831 AND 10000 THEN 'A' WHEN v18.h BETWEEN 7661 AND 8830 THEN 'B'
            WHEN v18.h BETWEEN 6500 AND 7660 THEN 'C' WHEN v18.h BETWEEN 2500 AND 6499 THEN 'D' END AS mutu,
       CASE WHEN v18.h BETWEEN 8831 AND 10000 THEN 'Sangat Baik' WHEN v18.h BETWEEN 7661 AND 8830 THEN 'Baik'
            WHEN v18.h BETWEEN 6500 AND 7660 THEN 'Kurang Baik' WHEN v18.h BETWEEN 2500 AND 6499 THEN 'Tidak Baik' END AS kinerja,
       SQRT(v18.var) AS ikm_se,
       CASE WHEN v18.ikm - 1.959963984540054 * SQRT(v18.var) < 25 THEN 25.0
            ELSE v18.ikm - 1.959963984540054 * SQRT(v18.var) END AS ikm_bawah,
       CASE WHEN v18.ikm + 1.959963984540054 * SQRT(v18.var) > 100 THEN 100.0
            ELSE v18.ikm + 1.959963984540054 * SQRT(v18.var) END AS ikm_atas,
       v18.ikm - c18.ikm_kota AS selisih_kota,
       ABS(v18.ikm - c18.ikm_kota) > 1.959963984540054
         * SQRT((1 - 1.0 / c18.n) * (1 - 1.0 / c18.n) * v18.var
                + (c18.jumlah_var - v18.var) / (CAST(c18.n AS DOUBLE) * c18.n)) + 0.000000001 AS selisih_kota_nyata,
       v18.ikm - p18.ikm AS selisih_tahun_lalu,
       ABS(v18.ikm - p18.ikm) > 1.959963984540054 * SQRT(v18.var + p18.var) + 0.000000001 AS selisih_tahun_lalu_nyata,
       COALESCE(s18.n_unit_lokasi, 0) AS n_unit_lokasi,
       COALESCE(li18.n_lokasi_inferensi, 0) AS n_lokasi_inferensi,
       s18.ikm_rata_lokasi,
       w18.unit_nama AS unit_terendah_lokasi, w18.ikm AS ikm_terendah_lokasi
FROM (
  SELECT t18.tahun, u18.unit_id, COALESCE(u18.kecamatan, '') AS kecamatan, u18.urutan
  FROM (SELECT DISTINCT tahun FROM nilai_unit WHERE periode = 'TAHUN') t18
  CROSS JOIN units u18
  WHERE u18.jenis_unit = 'kecamatan'
) o18
LEFT JOIN (
  SELECT unit_id, tahun, ikm, var, FLOOR(ikm * 100 + 0.5 + 0.000000005) AS h
  FROM nilai_unit WHERE periode = 'TAHUN'
) v18 ON o18.unit_id = v18.unit_id AND o18.tahun = v18.tahun
LEFT JOIN (
  SELECT n18.unit_id, n18.tahun,
         ROW_NUMBER() OVER (PARTITION BY n18.tahun ORDER BY 0 - n18.ikm, n18.urutan) AS peringkat
  FROM nilai_unit n18 JOIN units u18 ON n18.unit_id = u18.unit_id
  WHERE n18.periode = 'TAHUN' AND u18.jenis_unit = 'kecamatan'
) r18 ON o18.unit_id = r18.unit_id AND o18.tahun = r18.tahun
LEFT JOIN (
  SELECT a18.unit_id, a18.tahun,
         1 + SUM(CASE WHEN b18.ikm - a18.ikm > 1.959963984540054 * SQRT(a18.v + b18.v) + 0.000000001 THEN 1 ELSE 0 END)
           AS peringkat_min,
         COUNT(*) - SUM(CASE WHEN a18.ikm - b18.ikm > 1.959963984540054 * SQRT(a18.v + b18.v) + 0.000000001 THEN 1 ELSE 0 END)
           AS peringkat_maks
  FROM (SELECT n18.unit_id, n18.tahun, n18.ikm, COALESCE(n18.var, 0.0) AS v
        FROM nilai_unit n18 JOIN units u18 ON n18.unit_id = u18.unit_id
        WHERE n18.periode = 'TAHUN' AND u18.jenis_unit = 'kecamatan') a18
  JOIN (SELECT n18.tahun, n18.ikm, COALESCE(n18.var, 0.0) AS v
        FROM nilai_unit n18 JOIN units u18 ON n18.unit_id = u18.unit_id
        WHERE n18.periode = 'TAHUN' AND u18.jenis_unit = 'kecamatan') b18
    ON a18.tahun = b18.tahun
  GROUP BY a18.unit_id, a18.tahun
) q18 ON o18.unit_id = q18.unit_id AND o18.tahun = q18.tahun
JOIN (SELECT tahun, AVG(ikm) AS ikm_kota, COUNT(*) AS n,
             SUM(CASE WHEN var IS NULL THEN 0.0 ELSE var END) AS jumlah_var
      FROM nilai_unit WHERE periode = 'TAHUN' GROUP BY tahun) c18
  ON o18.tahun = c18.tahun
LEFT JOIN (
  SELECT unit_id, CAST(tahun + 1 AS INTEGER) AS tahun_berikut, ikm, var
  FROM nilai_unit WHERE periode = 'TAHUN'
) p18 ON o18.unit_id = p18.unit_id AND o18.tahun = p18.tahun_berikut
LEFT JOIN (
  SELECT kantor, SUM(CASE WHEN kecamatan_basis = 'inferred' THEN 1 ELSE 0 END) AS n_lokasi_inferensi
  FROM lokasi GROUP BY kantor
) li18 ON o18.unit_id = li18.kantor
LEFT JOIN (
  SELECT l18.kantor, n18.tahun, COUNT(*) AS n_unit_lokasi, AVG(n18.ikm) AS ikm_rata_lokasi
  FROM lokasi l18 JOIN nilai_unit n18 ON l18.unit_id = n18.unit_id
  WHERE n18.periode = 'TAHUN'
  GROUP BY l18.kantor, n18.tahun
) s18 ON o18.unit_id = s18.kantor AND o18.tahun = s18.tahun
LEFT JOIN (
  SELECT kantor, tahun, unit_nama, ikm FROM (
    SELECT l18.kantor, n18.tahun, l18.unit_nama, n18.ikm,
           ROW_NUMBER() OVER (PARTITION BY l18.kantor, n18.tahun ORDER BY n18.ikm, l18.urutan) AS r
    FROM lokasi l18 JOIN nilai_unit n18 ON l18.unit_id = n18.unit_id
    WHERE n18.periode = 'TAHUN'
  ) x18 WHERE r = 1
) w18 ON o18.unit_id = w18.kantor AND o18.tahun = w18.tahun
