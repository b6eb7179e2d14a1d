//! skm's integration tests, as one binary (one link of Polars instead of ten).
//!
//! Each module is named by the behaviour it checks; `common` holds the shared helpers: running
//! the pipeline on an inbox the test writes, and reading its outputs back with arrow-rs (the
//! reference Parquet implementation), never with the Polars that wrote them.

mod common;

mod big_files;
mod budget_lines;
mod city_analytics;
mod city_report_print;
mod code_layout;
mod cpu_models;
mod crash_safety;
mod deploy_files;
mod encodings_and_header_variants;
mod file_still_arriving;
mod follow_up_plans;
mod form_exports;
mod form_exports_more;
mod generated_inbox;
mod gold_sql;
mod hidden_rows;
mod hive_layout;
mod hostile_inputs;
mod html_in_browser;
mod incremental_runs;
mod margins;
mod minute_copies;
mod nightly_operations;
mod operator_commands;
mod postgres_load;
mod questionnaire_figures;
mod realization_sheets;
mod resent_logs;
mod resubmissions;
mod sums_equal_rows;
mod template_legend;
mod unit_reports;
