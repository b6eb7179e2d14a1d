-- sums_counted: the silver sums that count. Every gold figure below is added up from these
-- rows, so this is the one place where what counts is decided.
--
-- Today it is `sums` as skm writes it (silver/sums, every shard's folder read as one table):
-- a response counts in the file it came from. A correction for responses sent twice (the same
-- response in two files, or in two shards) goes here and nowhere else: sums_counted = sums
-- minus the duplicates' contribution, with the same columns (README.md in this folder).
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       persyaratan__sum, persyaratan__n, prosedur__sum, prosedur__n,
       waktu__sum, waktu__n, biaya__sum, biaya__n, produk__sum, produk__n,
       kompetensi__sum, kompetensi__n, perilaku__sum, perilaku__n,
       sarpras__sum, sarpras__n, pengaduan__sum, pengaduan__n
FROM sums
