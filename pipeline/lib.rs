//! skm: the SKM (Survei Kepuasan Masyarakat) batch pipeline.
//!
//! Stages run one way: [`ingest`] → [`normalize`] → [`silver`] → [`compute`] → [`emit`] →
//! [`publish`], orchestrated by [`run`]. The rules of the domain are in [`domain`] (no I/O);
//! the unit registry in [`registry`]; the output dictionary and Parquet writing in [`tables`].
//! See ARCHITECTURE.md for the code map and its invariants.

#[macro_use]
mod labels;

pub mod build_id;
pub mod compute;
pub mod config;
pub mod db;
pub mod demo_inbox;
pub mod domain;
pub mod emit;
pub mod faults;
pub mod gen;
pub mod history;
pub mod ingest;
pub mod memory;
pub mod normalize;
pub mod progress;
pub mod publish;
pub mod registry;
pub mod rng;
pub mod run;
pub mod silver;
pub mod tables;
