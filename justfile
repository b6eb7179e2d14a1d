# Everyday recipes. `just` is optional: every recipe is one plain command you can copy.

# Run the pipeline on the demo inbox (fixtures/inbox) into out/ (the README's first command)
run *ARGS:
    cargo run -- run {{ARGS}}

# The same with an optimized build (slow to build the first time: ~18 min on 2 cores)
run-release *ARGS:
    cargo run --release -- run {{ARGS}}

# The test suite (what .ci/run runs)
test:
    cargo test --locked

# Lint and format check
check:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings

# Rewrite the demo inbox from fixtures/reference (the seeds' published NRR)
demo-fixtures:
    rm -rf fixtures/inbox
    cargo run -- demo --out fixtures/inbox

# Rebuild the embedded unit registry from fixtures/reference
units:
    python3 scripts/make_units.py fixtures/reference > schemas/units.tsv

# Fuzz every target for a bounded time (default 600 s each), two at a time. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); runs on stable through RUSTC_BOOTSTRAP, without sanitizer
# (safe Rust: the fuzzers look for panics, hangs and memory blow-ups).
fuzz SECONDS="600":
    scripts/fuzz.sh {{SECONDS}}

# The benchmark (never part of `cargo test`): builds release, installs its peers (DuckDB,
# pandas, Polars, openpyxl, python-calamine from PyPI) into a venv, generates 1M/10M(/30M)
# inboxes (10M also as 4 quarterly files and 1 yearly file; 1 yearly file of 1M/10M/30M for
# skm's memory) and writes BENCHMARKS.md. `just bench --quick` checks the harness in minutes.
bench *ARGS:
    bash bench/bench.sh {{ARGS}}

# Every output opens in pandas, pyarrow, DuckDB, Polars, Spark SQL and `skm sql` with skm's row
# counts, and docs/outputs.md's "Query the outputs" snippets give skm's numbers, on the demo output
# and a generated one. Installs the readers (pyspark included; Java 17+) into the bench venv.
interop *ARGS:
    python3 scripts/interop.py {{ARGS}}

# Gold on Apache Spark from sharded runs, compared row by row with one machine's run (never part
# of `cargo test`): installs pyspark (pinned, bench/spark/requirements.txt) and Java 17 when
# missing, builds release, `skm gen` 1M responses over 2 years into 4 shards (with files in two
# shards), runs skm on each and on the whole inbox, runs schemas/gold/*.sql on Spark local[2]
# over the shards' silver/sums and manifests (a file in two shards counted once), exits 1 on
# any difference, writes BENCHMARKS.md's Spark section.
# `just spark --quick` checks the harness on 20,000 responses; `--no-duplicates`, `--shards N`.
spark *ARGS:
    python3 bench/spark/spark.py {{ARGS}}
