//! A run's files whose dates fit both orders, read again in the order another export of their
//! form showed (`normalize::date_forms`): a weekly export of 1–9 October from an English (US)
//! account has no day over 12 and was assumed day first, so its rows were dated in January …
//! December and, their identities differing, counted beside the month's export that has them.
//! Read again (through the cache, under the key of the order read in), its silver parts and
//! its keyed rows replace the first reading's.

use anyhow::Result;

use super::read_context::{BigFiles, ReadContext};
use super::worker::{ingest_file, FileFacts, FileResult};
use crate::ingest;
use crate::normalize::date_forms;
use crate::registry::Registry;

/// Settles every file's date order against the others (`results` by file index, `None` for a
/// file not read); the cache keys of the readings replaced (kept in the cache: the next run
/// reads the same way).
pub(super) fn settle(
    results: &mut [Option<FileResult>],
    files: &[ingest::InboxFile],
    known: &[FileFacts],
    sh: &ReadContext<'_>,
    registry: &Registry,
) -> Result<Vec<String>> {
    let accounts: Vec<_> = results
        .iter()
        .map(|r| r.as_ref().map(|r| &r.account))
        .collect();
    let units: Vec<Vec<String>> = (results.iter())
        .map(|r| date_forms::units_of(r.iter().flat_map(|r| &r.sums).map(|s| &*s.unit_id)))
        .collect();
    let plans = date_forms::plan(&accounts, &units);
    let names: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    let mut replaced = Vec::new();
    for order in [
        crate::domain::DateOrder::HariBulan,
        crate::domain::DateOrder::BulanHari,
    ] {
        let again: Vec<usize> = (0..plans.len())
            .filter(|&i| plans[i].again == Some(order))
            .collect();
        if again.is_empty() {
            continue;
        }
        let mut config = sh.config.clone();
        config.kuesioner.urutan_tanggal = order;
        let forced = ReadContext {
            ctx: crate::normalize::Context {
                date_order: order,
                date_order_settled: true,
                ..sh.ctx
            },
            config: &config,
            dirs: sh.dirs,
            cache: sh.cache,
            index: sh.index.clone(),
            fingerprint: match sh.cache {
                Some(_) => super::fingerprint(&config, registry),
                None => String::new(),
            },
            today: sh.today.clone(),
            started: sh.started,
            big: BigFiles::new(again.len(), super::stream_budget()),
        };
        for &i in &again {
            // The first reading's parts go (its keyed rows with its result).
            for (_, p) in super::scan::parts_of(sh.dirs, i)? {
                std::fs::remove_file(&p)?;
            }
            if let Some(old) = results[i].take() {
                replaced.extend(old.key);
            }
        }
        let read = super::parallel(files, &again, &mut |_, _, _| {}, |i| {
            ingest_file(i, &files[i], &known[i], &forced)
        })?;
        for (i, r) in read.into_iter().enumerate() {
            if r.is_some() {
                results[i] = r;
            }
        }
    }
    for (i, plan) in plans.iter().enumerate() {
        if let Some(r) = &mut results[i] {
            date_forms::record(&mut r.account, plan, &names);
        }
    }
    Ok(replaced)
}
