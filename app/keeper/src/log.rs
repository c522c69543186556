//! Structured logs: one line per event on stdout, `key=value` (default) or JSON, flushed at once
//! so that a supervisor (or a test reading the pipe) sees every event as it happens.

use std::fmt::Display;
use std::io::Write;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// `ts=… level=info event=tx_landed job=crank …`
    #[default]
    Text,
    /// `{"ts":…,"level":"info","event":"tx_landed","job":"crank",…}`
    Json,
}

/// A line-oriented logger writing to stdout, or to a buffer in tests.
pub struct Logger {
    format: LogFormat,
    sink: Mutex<Option<Vec<u8>>>,
}

impl Logger {
    pub fn new(format: LogFormat) -> Self {
        Logger {
            format,
            sink: Mutex::new(None),
        }
    }

    /// A logger that keeps its lines in memory (tests).
    pub fn capture(format: LogFormat) -> Self {
        Logger {
            format,
            sink: Mutex::new(Some(Vec::new())),
        }
    }

    /// The captured lines (empty unless built with `capture`).
    pub fn captured(&self) -> String {
        let sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        sink.as_ref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    pub fn info(&self, event: &str, fields: &[(&str, &dyn Display)]) {
        self.event("info", event, fields);
    }

    pub fn warn(&self, event: &str, fields: &[(&str, &dyn Display)]) {
        self.event("warn", event, fields);
    }

    pub fn error(&self, event: &str, fields: &[(&str, &dyn Display)]) {
        self.event("error", event, fields);
    }

    /// Writes one event line.
    pub fn event(&self, level: &str, event: &str, fields: &[(&str, &dyn Display)]) {
        let line = format_line(self.format, wall_secs(), level, event, fields);
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        match sink.as_mut() {
            Some(buffer) => buffer.extend_from_slice(line.as_bytes()),
            None => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(line.as_bytes());
                let _ = out.flush();
            }
        }
    }
}

/// Wall time of a log line (seconds with milliseconds): for people reading logs only; no
/// decision of the keeper reads the local clock.
fn wall_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as f64 / 1000.0)
        .unwrap_or(0.0)
}

/// One line, newline-terminated.
pub fn format_line(
    format: LogFormat,
    ts: f64,
    level: &str,
    event: &str,
    fields: &[(&str, &dyn Display)],
) -> String {
    match format {
        LogFormat::Text => {
            let mut line = format!("ts={ts:.3} level={level} event={}", quote(event));
            for (key, value) in fields {
                line.push(' ');
                line.push_str(key);
                line.push('=');
                line.push_str(&quote(&value.to_string()));
            }
            line.push('\n');
            line
        }
        LogFormat::Json => {
            let mut map = serde_json::Map::new();
            map.insert("ts".into(), serde_json::json!(ts));
            map.insert("level".into(), level.into());
            map.insert("event".into(), event.into());
            for (key, value) in fields {
                let text = value.to_string();
                // Integers as JSON numbers (not ones with a leading zero or a sign: ids, keys).
                let number = text
                    .parse::<u64>()
                    .ok()
                    .filter(|_| text == "0" || !text.starts_with('0'));
                let value = match number {
                    Some(n) => serde_json::Value::from(n),
                    None => text.into(),
                };
                map.insert((*key).into(), value);
            }
            let mut line = serde_json::Value::Object(map).to_string();
            line.push('\n');
            line
        }
    }
}

/// A value as is when it has no space, quote or `=`, else double-quoted with escapes.
fn quote(value: &str) -> String {
    if !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '=' || c.is_control())
    {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_quote_values_with_spaces() {
        let line = format_line(
            LogFormat::Text,
            1.5,
            "info",
            "tx_dropped",
            &[("job", &"crank"), ("reason", &"bad \"account\"")],
        );
        assert_eq!(
            line,
            "ts=1.500 level=info event=tx_dropped job=crank reason=\"bad \\\"account\\\"\"\n"
        );
    }

    #[test]
    fn json_lines_are_one_object() {
        let line = format_line(LogFormat::Json, 2.0, "warn", "e", &[("hours", &24u8)]);
        let v: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
        assert_eq!(v["event"], "e");
        assert_eq!(v["hours"], 24);
        assert_eq!(v["level"], "warn");
        assert!(line.ends_with("}\n") && line.matches('\n').count() == 1);
    }
}
