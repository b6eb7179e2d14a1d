-- sums_counted: the silver sums that count. Every gold figure below is added up from these
-- rows, so this is the one place where what counts is decided.
--
-- `sums` is every shard's silver/sums as one table (with `shard`); each shard's sums already
-- count what counts within that shard (a run reads identical files once and matches the copies
-- of a response). Across shards, a file sent to two shards is counted once here: the sums of
-- the files in berkas_identik (the copies not counted, by skm's preference) are left out.
-- Exact when no response has a time of day (`kunci` null everywhere, as in `skm gen`'s
-- inboxes); with keyed responses use kunci/ (README.md in this folder).
SELECT s01.unit_id, s01.tahun, s01.periode, s01.dimensi, s01.kelompok, s01.n_responden,
       s01.persyaratan__sum, s01.persyaratan__n, s01.prosedur__sum, s01.prosedur__n,
       s01.waktu__sum, s01.waktu__n, s01.biaya__sum, s01.biaya__n, s01.produk__sum, s01.produk__n,
       s01.kompetensi__sum, s01.kompetensi__n, s01.perilaku__sum, s01.perilaku__n,
       s01.sarpras__sum, s01.sarpras__n, s01.pengaduan__sum, s01.pengaduan__n
FROM sums s01
LEFT JOIN berkas_identik b01 ON s01.shard = b01.shard AND s01.source_file = b01.source_file
WHERE b01.identik IS NULL
