//! Prometheus counters and gauges, rendered in the text exposition format, and the liveness
//! the `/healthz` probe reads.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Default)]
struct Inner {
    ticks: u64,
    jobs_run: BTreeMap<String, u64>,
    sent: BTreeMap<String, u64>,
    landed: BTreeMap<String, u64>,
    already_done: BTreeMap<String, u64>,
    dropped: BTreeMap<String, u64>,
    errors: BTreeMap<(String, String), u64>,
    last_success: BTreeMap<String, u64>,
    hours_cranked: u64,
    hours_behind: Option<u64>,
    chain_time: Option<i64>,
    last_progress: Option<Instant>,
}

/// Every metric of the keeper; shared by the loop and the HTTP responder.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    *map.entry(key.to_string()).or_insert(0) += 1;
}

fn wall_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut inner)
    }

    pub fn tick(&self, chain_time: i64) {
        self.with(|m| {
            m.ticks += 1;
            m.chain_time = Some(chain_time);
        });
    }

    pub fn job_run(&self, job: &str) {
        self.with(|m| bump(&mut m.jobs_run, job));
    }

    pub fn sent(&self, job: &str) {
        self.with(|m| bump(&mut m.sent, job));
    }

    /// A transaction of `job` landed: also progress and the job's last success.
    pub fn landed(&self, job: &str) {
        self.with(|m| bump(&mut m.landed, job));
        self.success(job);
        self.progress();
    }

    /// The program said it was already done: a success for the job.
    pub fn already_done(&self, job: &str) {
        self.with(|m| bump(&mut m.already_done, job));
        self.success(job);
    }

    pub fn dropped(&self, job: &str) {
        self.with(|m| bump(&mut m.dropped, job));
    }

    /// An error of `job`, by name (`StakingError::HourNotEnded`, `rpc`, `blockhash_expired`).
    pub fn error(&self, job: &str, name: &str) {
        self.with(|m| *m.errors.entry((job.into(), name.into())).or_insert(0) += 1);
    }

    /// The job did what was due (or nothing was due). Not progress by itself: one idle job
    /// must not make /healthz say ok while another cannot send (progress is a clean pass or a
    /// landed transaction).
    pub fn success(&self, job: &str) {
        let now = wall_secs();
        self.with(|m| {
            m.last_success.insert(job.to_string(), now);
        });
    }

    pub fn hours_cranked(&self, hours: u64) {
        self.with(|m| m.hours_cranked += hours);
    }

    pub fn hours_behind(&self, hours: u64) {
        self.with(|m| m.hours_behind = Some(hours));
    }

    /// Marks progress (a completed tick, a landed transaction).
    pub fn progress(&self) {
        self.with(|m| m.last_progress = Some(Instant::now()));
    }

    /// Progress within `window` (none yet: unhealthy).
    pub fn healthy(&self, window: Duration) -> bool {
        self.with(|m| m.last_progress.is_some_and(|t| t.elapsed() <= window))
    }

    /// Counter value of `ngpu_keeper_transactions_landed_total{job}` (tests, reports).
    pub fn landed_count(&self, job: &str) -> u64 {
        self.with(|m| m.landed.get(job).copied().unwrap_or(0))
    }

    pub fn sent_count(&self, job: &str) -> u64 {
        self.with(|m| m.sent.get(job).copied().unwrap_or(0))
    }

    /// The Prometheus text format (version 0.0.4).
    pub fn render(&self) -> String {
        self.with(|m| {
            let mut out = String::new();
            let mut family = |name: &str, kind: &str, help: &str, rows: Vec<(String, String)>| {
                let _ = writeln!(out, "# HELP {name} {help}");
                let _ = writeln!(out, "# TYPE {name} {kind}");
                for (labels, value) in rows {
                    let _ = writeln!(out, "{name}{labels} {value}");
                }
            };
            let by_job = |map: &BTreeMap<String, u64>| {
                map.iter()
                    .map(|(job, v)| (format!("{{job=\"{job}\"}}"), v.to_string()))
                    .collect::<Vec<_>>()
            };
            family(
                "ngpu_keeper_ticks_total",
                "counter",
                "Passes of the keeper loop.",
                vec![(String::new(), m.ticks.to_string())],
            );
            family(
                "ngpu_keeper_jobs_run_total",
                "counter",
                "Job runs (a planning pass over chain state), by job.",
                by_job(&m.jobs_run),
            );
            family(
                "ngpu_keeper_transactions_sent_total",
                "counter",
                "Transactions sent, by job (re-signed ones count again).",
                by_job(&m.sent),
            );
            family(
                "ngpu_keeper_transactions_landed_total",
                "counter",
                "Transactions confirmed without error, by job.",
                by_job(&m.landed),
            );
            family(
                "ngpu_keeper_already_done_total",
                "counter",
                "Actions the program reported as already done (counted as success), by job.",
                by_job(&m.already_done),
            );
            family(
                "ngpu_keeper_transactions_dropped_total",
                "counter",
                "Actions dropped because they can never succeed, by job.",
                by_job(&m.dropped),
            );
            family(
                "ngpu_keeper_errors_total",
                "counter",
                "Errors by job and name (program error name, rpc, blockhash_expired, ...).",
                m.errors
                    .iter()
                    .map(|((job, name), v)| {
                        (format!("{{job=\"{job}\",error=\"{name}\"}}"), v.to_string())
                    })
                    .collect(),
            );
            family(
                "ngpu_keeper_hours_cranked_total",
                "counter",
                "Emission hours cranked by this keeper.",
                vec![(String::new(), m.hours_cranked.to_string())],
            );
            if let Some(h) = m.hours_behind {
                family(
                    "ngpu_keeper_hours_behind",
                    "gauge",
                    "Ended hours not cranked yet, at the last pass (chain clock).",
                    vec![(String::new(), h.to_string())],
                );
            }
            if let Some(t) = m.chain_time {
                family(
                    "ngpu_keeper_chain_unix_time",
                    "gauge",
                    "The cluster clock (Clock sysvar) at the last pass.",
                    vec![(String::new(), t.to_string())],
                );
            }
            family(
                "ngpu_keeper_last_success_timestamp_seconds",
                "gauge",
                "Wall-clock unix time of each job's last success.",
                by_job(&m.last_success),
            );
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_has_every_family_and_label() {
        let m = Metrics::default();
        m.tick(1_700_000_000);
        m.job_run("crank");
        m.sent("crank");
        m.landed("crank");
        m.error("crank", "StakingError::HourNotEnded");
        m.hours_behind(3);
        m.hours_cranked(24);
        let text = m.render();
        for line in [
            "ngpu_keeper_ticks_total 1",
            "ngpu_keeper_jobs_run_total{job=\"crank\"} 1",
            "ngpu_keeper_transactions_sent_total{job=\"crank\"} 1",
            "ngpu_keeper_transactions_landed_total{job=\"crank\"} 1",
            "ngpu_keeper_errors_total{job=\"crank\",error=\"StakingError::HourNotEnded\"} 1",
            "ngpu_keeper_hours_behind 3",
            "ngpu_keeper_hours_cranked_total 24",
            "ngpu_keeper_chain_unix_time 1700000000",
            "# TYPE ngpu_keeper_last_success_timestamp_seconds gauge",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line}:\n{text}");
        }
        assert!(text.contains("ngpu_keeper_last_success_timestamp_seconds{job=\"crank\"} "));
        assert!(m.healthy(Duration::from_secs(5)));
        assert!(!Metrics::default().healthy(Duration::from_secs(5)));
    }
}
