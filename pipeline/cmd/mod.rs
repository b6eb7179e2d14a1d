pub mod demo;
pub mod gen;
pub mod reference;
pub mod report;
pub mod rollback;
pub mod run;
pub mod schema;
pub mod sql;
pub mod template;
pub mod validate;

/// Exit codes (README, "Exit codes").
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_REJECTS: i32 = 3;
pub const EXIT_LOCKED: i32 = 4;
/// The run completed and its outputs are published, but loading them into PostgreSQL failed.
pub const EXIT_DB: i32 = 5;
/// The outputs are published, but something needs a person: a file or sheet read in this run
/// was refused, or more than half of a file's rows were rejected, a unit is past a deadline,
/// or an optional output (the PDF) failed.
pub const EXIT_ATTENTION: i32 = 6;
