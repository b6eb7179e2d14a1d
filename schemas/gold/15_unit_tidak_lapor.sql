-- gold/unit_tidak_lapor: per year with a city figure, the service units of the registry (all
-- but pemda) without a yearly figure.
SELECT y15.tahun, 'TAHUN' AS periode, y15.unit_id, y15.unit_nama, y15.jenis_unit
FROM (
  SELECT t15.tahun, u15.unit_id, u15.unit_nama, u15.jenis_unit
  FROM (SELECT DISTINCT tahun FROM nilai_unit WHERE periode = 'TAHUN') t15
  CROSS JOIN units u15
  WHERE u15.jenis_unit <> 'pemda'
) y15
LEFT JOIN (SELECT unit_id, tahun FROM nilai_unit WHERE periode = 'TAHUN') v15
  ON y15.unit_id = v15.unit_id AND y15.tahun = v15.tahun
WHERE v15.unit_id IS NULL
