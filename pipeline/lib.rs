//! skm: the SKM (Survei Kepuasan Masyarakat) batch pipeline.
//!
//! Stages run one way: [`ingest`] → [`normalize`] → [`compute`] → [`emit`], orchestrated by
//! [`run`]. The rules of the domain are in [`domain`] (no I/O); the unit registry in
//! [`registry`]. See ARCHITECTURE.md for the code map and its invariants.

pub mod cache;
pub mod compute;
pub mod config;
pub mod domain;
pub mod emit;
pub mod faults;
pub mod gen;
pub mod ingest;
pub mod intern;
pub mod normalize;
pub mod publish;
pub mod registry;
pub mod run;
