//! The retention job: with `--retention-days N`, responses received more than N days ago are
//! deleted, at startup and then every hour (PIPL: personal information is kept no longer than
//! its purpose needs). Off by default.

use std::time::Duration;

use time::OffsetDateTime;
use tokio::task::JoinHandle;

use crate::{Store, error::error_chain, store::StoreError};

/// How often the job runs after the first run at startup.
pub const RETENTION_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// The oldest receive time kept at `now` with a retention of `days` days.
pub fn cutoff(now: OffsetDateTime, days: u32) -> OffsetDateTime {
    now - time::Duration::days(i64::from(days))
}

/// Deletes what is older than `days` days at `now`; returns how many responses were deleted.
pub async fn run_once(store: &Store, days: u32, now: OffsetDateTime) -> Result<u64, StoreError> {
    store.delete_received_before(cutoff(now, days)).await
}

/// Starts the job: it runs now, then every `interval`, until the store is closed or the task is
/// aborted. A failed run is logged and tried again at the next interval.
pub fn spawn(store: Store, days: u32, interval: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = OffsetDateTime::now_utc();
            match run_once(&store, days, now).await {
                Ok(deleted) => tracing::info!(
                    deleted,
                    retention_days = days,
                    "retention: deleted the responses received before {}",
                    cutoff(now, days)
                ),
                Err(StoreError::Closed) => return,
                Err(err) => tracing::warn!(error = %error_chain(&err), "retention failed"),
            }
        }
    })
}
