#!/usr/bin/env python3
"""Builds schemas/units.tsv (the embedded unit registry) from fixtures/reference.

Run once by hand when the reference tables change:
    python3 scripts/make_units.py fixtures/reference > schemas/units.tsv
Canonical names are the 2024 table's; the 2023 spelling becomes an alias where it differs.
Kecamatan are stated only for the 12 kecamatan offices; for RSUD and puskesmas the pipeline
infers the kecamatan at load time from schemas/kelurahan_kecamatan.tsv and labels it inferred.
"""
import csv, re, sys, unicodedata

ref = sys.argv[1]
def rows(name):
    with open(f"{ref}/{name}", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))

def slug(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")

u23 = {r["no"]: r for r in rows("ikm_unit_2023.tsv")}
u24 = {r["no"]: r for r in rows("ikm_unit_2024.tsv")}
assert len(u23) == len(u24) == 96
extra_alias = {
    "Sekretariat Daerah": ["Setda"],
    "Satuan Polisi Pamong Praja": ["Satpol PP"],
    "Badan Penanggulangan Bencana Daerah": ["BPBD"],
    "Badan Pendapatan Daerah": ["Bapenda"],
    "Badan Perencanaan Pembangunan Dan Penelitian Pengembangan Daerah": ["Bappelitbangda", "Bappeda"],
    "Badan Pengelolaan Keuangan dan Aset Daerah": ["BPKAD"],
    "Badan Kesatuan Bangsa dan Politik": ["Kesbangpol"],
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": ["DPMPTSP"],
    "Dinas Kependudukan dan Pencatatan Sipil": ["Disdukcapil", "Dukcapil"],
    # The short names Kota Bekasi's offices go by (recaps and IKU sheets write them).
    "Inspektorat Daerah": ["Inspektorat"],
    "Sekretariat DPRD": ["Setwan", "Sekretariat Dewan Perwakilan Rakyat Daerah",
                         "Sekretariat Dewan"],
    "Dinas Pendidikan": ["Disdik"],
    "Dinas Kesehatan": ["Dinkes"],
    "Dinas Perhubungan": ["Dishub"],
    "Dinas Sosial": ["Dinsos"],
    "Dinas Lingkungan Hidup": ["DLH"],
    "Dinas Tenaga Kerja": ["Disnaker"],
    "Dinas Komunikasi, Informatika, Statistik dan Persandian": ["Diskominfostandi", "Diskominfo"],
    "Dinas Perumahan, Kawasan Permukiman dan Pertanahan": ["Disperkimtan"],
    "Dinas Bina Marga dan Sumber Daya Air": ["DBMSDA"],
    "Dinas Tata Ruang": ["Distaru"],
    "Dinas Pemadam Kebakaran": ["Damkar"],
    "Dinas Pengendalian Penduduk dan Keluarga Berencana": ["DPPKB"],
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak": ["DP3A"],
    "Dinas Kepemudaan dan Olahraga": ["Dispora"],
    "Dinas Pariwisata dan Kebudayaan": ["Disparbud"],
    "Dinas Arsip dan Perpustakaan Daerah": ["Disarpus"],
    "RSUD dr. Chasbullah Abdulmadjid": ["RSUD CAM", "RSUD Kota Bekasi", "RSUD Chasbullah",
                                        "RSUD Chasbullah Abdulmadjid"],
}
# The government itself, owner of city-level indicators (IKU) and budgets: not a service unit.
PEMDA = ["0", "pemerintah-kota-bekasi", "Pemerintah Kota Bekasi", "pemda", "",
         "Pemkot Bekasi|Kota Bekasi|Pemerintah Daerah Kota Bekasi", "", "", ""]
print("no\tunit_id\tunit_nama\tjenis_unit\tkecamatan\taliases\tpopulasi\tseed_2023\tseed_2024")
print("\t".join(PEMDA))
for no in sorted(u24, key=int):
    n24 = u24[no]["unit_as_printed"].strip()
    n23 = u23[no]["unit_as_printed"].strip()
    k = int(no)
    jenis = ("perangkat_daerah" if k <= 32 else "kecamatan" if k <= 44 else "rsud" if k <= 48 else "puskesmas")
    kec = n24[len("Kecamatan "):] if jenis == "kecamatan" else ""
    aliases = [] if n23 == n24 else [n23]
    aliases += extra_alias.get(n24, [])
    print("\t".join([no, slug(n24), n24, jenis, kec, "|".join(aliases), "",
                     "004_3fe45b9fa76d51e7.txt:" + u23[no]["seed_line"],
                     "001_710776136f2cd3d4.txt:" + u24[no]["seed_line"]]))
