//! How the allocator (mimalloc, `main.rs`) keeps freed memory: a quarter of a second for reuse
//! (`keep_freed_memory`), what reading left free collected once every file is read
//! (`hand_back_freed_memory`), and handed back at once from the database load on
//! (`hand_back_at_once`).

/// mimalloc's `mi_option_purge_delay` (mimalloc.h, v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed is kept for reuse a quarter of a second, not handed back to the system 10 ms
/// later (mimalloc's default): reading frees and allocates chunks of rows and frames over and
/// over, and memory handed back comes back zeroed, page by page. Measured on 10M responses
/// (BENCHMARKS.md): with 10 ms, 384 files 22.8 s → 13.8 s and one file 16.0 s → 11.6 s when
/// kept until the end (-1), peak memory 20–130 MiB higher; 250 ms keeps that speed and hands
/// back what a finished file's threads left (4 quarterly files 290–316 → 250–260 MiB, 30M in
/// one file 311 → 276 MiB, times within noise). The environment's `MIMALLOC_PURGE_DELAY`, when
/// set, decides instead.
///
/// # Safety
/// Before any other thread exists (mimalloc's options are not set atomically).
pub unsafe fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: the caller's.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, KEPT_MS) };
    }
}

/// How long freed memory is kept for reuse (`keep_freed_memory`), until the database load.
const KEPT_MS: std::ffi::c_long = 250;

/// Once every file is read: what is free now is collected and handed back, so that what later
/// stages (duplicates, gold, reports) allocate adds to what is live, not to what reading left
/// free. Freed memory is still kept 250 ms from then on: handing it back at once (a delay of
/// 0, until 9dc5354) made every frame the later stages decode come back zeroed page by page —
/// a 3M + 2M cumulative pair of timestamped exports 9.6–10.2 s with 2.8–3.8 s of system time
/// → 8.7–8.8 s with 2.1, 30M in one file 30.4 → 23.7 s (system 10.8 → 4.4 s) at a peak of
/// 289 → 275 MiB; the pair's peak 280–296 → 308–314 MiB (BENCHMARKS.md).
///
/// From then on, too, memory is faulted in as the system's small pages, not transparent huge
/// pages (`no_huge_pages_from_now`).
pub fn hand_back_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_collect` may be called from any thread at any time.
        unsafe { libmimalloc_sys::mi_collect(true) };
    }
    no_huge_pages_from_now();
}

/// Memory the later stages touch is faulted in as small pages (Linux `PR_SET_THP_DISABLE`):
/// mimalloc asks for transparent huge pages, and the duplicates pass, gold and the reports
/// allocate, free (handed back 250 ms later) and touch again, each fault of a huge page zeroing
/// 2 MiB. Measured on model 167 (BENCHMARKS.md), with THP off for the whole run
/// (`MIMALLOC_ALLOW_THP=0`): the 3M + 2M timestamped pair 3.57–3.72 → 3.25–3.33 s, 291–334 →
/// 246–281 MiB; but 10M in 384 files 2–4% slower, reading being faster with huge pages. So
/// reading keeps them and what follows does not: the pair 3.73–4.07 → 3.68–4.04 s (less than
/// with THP off throughout), 309–319 → 289–291 MiB, system time 1.31–1.89 → 1.14–1.36 s; 384
/// files unchanged within noise (3 alternations, 30619ee against this). `SKM_HUGE_PAGES=1`
/// keeps them throughout.
fn no_huge_pages_from_now() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("SKM_HUGE_PAGES").is_none_or(|v| v != "1") {
        // SAFETY: a process-wide flag read at page-fault time; no memory is touched. (A kernel
        // without it answers an error, ignored: the pages stay as they were.)
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

/// From now on memory freed is handed back at once (and what is free now collected): the
/// database load (`db::load`) decodes and renders slice after slice while the server works, and
/// with freed memory kept 250 ms a 10M-row `--db-responses` run peaked at 344–359 MiB instead
/// of 275–293 (BENCHMARKS.md); its time is the server's.
pub fn hand_back_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain store of an option read by mimalloc's threads as they allocate; it
        // was set before (`keep_freed_memory`), so no thread initializes it concurrently.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
            libmimalloc_sys::mi_collect(true);
        }
    }
}
