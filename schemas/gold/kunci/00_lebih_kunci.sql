-- lebih_kunci: the copies of a response beyond those that count (sums_counted in this folder
-- says the rule): per kunci, every copy minus the most found in one file, with the unit, year,
-- period, answers and profile values the copies share. Reads silver/responses as `responses`.
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
         SUM(c) - MAX(c) AS lebih
  FROM (
    SELECT kunci, source_file, unit_id, tahun, periode,
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
           COUNT(*) AS c
    FROM responses
    WHERE kunci IS NOT NULL
    GROUP BY kunci, source_file, unit_id, tahun, periode
  ) f00
  GROUP BY kunci, unit_id, tahun, periode
) k00
WHERE lebih > 0
