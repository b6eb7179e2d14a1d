//! `skm demo --out fixtures/inbox` (hidden): writes the demo inbox from the published NRR of
//! the seven 2024 survey waves (fixtures/reference/nrr_periode_kecamatan_2024.tsv), in the
//! layouts units really send, with a few bad rows to show what is rejected.

use std::path::PathBuf;

use super::{EXIT_FAILED, EXIT_OK};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value = "fixtures/inbox")]
    out: PathBuf,
}

pub fn main(a: Args) -> i32 {
    match skm::gen::demo::write_demo_inbox(&a.out) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("skm demo: {e:#}");
            EXIT_FAILED
        }
    }
}
