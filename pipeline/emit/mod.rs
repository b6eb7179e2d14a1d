//! Emit: what people open. The yearly workbook (`city_workbook.rs`, built with `workbook.rs`), the
//! HTML report (`html.rs`, with `city_sections.rs`: chart frames and legends, heat maps, the
//! trend per unit, the print stylesheet) and the blank templates units fill in (`template.rs`), the follow-up sheet and section
//! (`tindak_lanjut.rs`). Every Parquet
//! table is checked and written through [`crate::tables`]. Per unit and year, the page and the
//! sheet a unit pastes into its LKIP (`unit_report.rs`: what they show, read from gold;
//! `unit_sheet.rs`, `unit_page.rs`), with numbers and words as `numbers.rs` writes them. `pdf.rs` prints the yearly
//! HTML report to PDF with a headless Chromium (`skm run --pdf`).

pub mod city_sections;
pub mod city_workbook;
pub mod html;
pub mod numbers;
pub mod pdf;
pub mod template;
pub mod tindak_lanjut;
pub mod unit_model;
pub mod unit_page;
pub mod unit_report;
pub mod unit_sheet;
pub mod workbook;
