//! Emit: what people open. The yearly workbook (`report.rs`, built with `workbook.rs`), the
//! HTML report (`html.rs`) and the blank templates units fill in (`template.rs`), the follow-up sheet and section
//! (`tindak_lanjut.rs`). Every Parquet
//! table is checked and written through [`crate::tables`].

pub mod html;
pub mod report;
pub mod template;
pub mod tindak_lanjut;
pub mod workbook;
