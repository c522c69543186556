//! A minimal HTTP/1.0 responder on a std `TcpListener` for `/metrics` and `/healthz` (no web
//! framework: two fixed routes, one request per connection).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::metrics::Metrics;

/// Binds `addr` and serves until `shutdown` is set; returns the bound address (port 0 picks a
/// free one) and the server thread.
pub fn serve(
    addr: SocketAddr,
    metrics: Arc<Metrics>,
    health_window: Duration,
    shutdown: Arc<AtomicBool>,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    let handle = std::thread::Builder::new()
        .name("keeper-http".into())
        .spawn(move || {
            while !shutdown.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = respond(stream, &metrics, health_window);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        })?;
    Ok((bound, handle))
}

fn respond(
    mut stream: TcpStream,
    metrics: &Metrics,
    health_window: Duration,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 8192 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&request);
    let mut parts = text.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    let (status, content_type, body) = match (method, path) {
        ("GET", "/metrics") => (
            "200 OK",
            "text/plain; version=0.0.4; charset=utf-8",
            metrics.render(),
        ),
        ("GET", "/healthz") if metrics.healthy(health_window) => {
            ("200 OK", "text/plain; charset=utf-8", "ok\n".to_string())
        }
        ("GET", "/healthz") => (
            "503 Service Unavailable",
            "text/plain; charset=utf-8",
            format!(
                "no progress in the last {} s\n",
                health_window.as_secs_f64()
            ),
        ),
        ("GET", _) => ("404 Not Found", "text/plain", "not found\n".to_string()),
        _ => (
            "405 Method Not Allowed",
            "text/plain",
            "GET only\n".to_string(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(addr: SocketAddr, path: &str) -> (String, String) {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut response = String::new();
        s.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        (head.lines().next().unwrap().to_string(), body.to_string())
    }

    #[test]
    fn metrics_and_healthz_over_tcp() {
        let metrics = Arc::new(Metrics::default());
        let shutdown = Arc::new(AtomicBool::new(false));
        let (addr, handle) = serve(
            "127.0.0.1:0".parse().unwrap(),
            metrics.clone(),
            Duration::from_millis(300),
            shutdown.clone(),
        )
        .unwrap();
        // No progress yet: unhealthy.
        let (status, body) = get(addr, "/healthz");
        assert_eq!(status, "HTTP/1.1 503 Service Unavailable");
        assert!(body.starts_with("no progress"));
        metrics.job_run("crank");
        metrics.landed("crank");
        let (status, body) = get(addr, "/healthz");
        assert_eq!(
            (status.as_str(), body.as_str()),
            ("HTTP/1.1 200 OK", "ok\n")
        );
        let (status, body) = get(addr, "/metrics");
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert!(body.contains("ngpu_keeper_transactions_landed_total{job=\"crank\"} 1\n"));
        assert!(body.contains("ngpu_keeper_jobs_run_total{job=\"crank\"} 1\n"));
        // Progress older than the window: unhealthy again.
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(get(addr, "/healthz").0, "HTTP/1.1 503 Service Unavailable");
        assert_eq!(get(addr, "/nope").0, "HTTP/1.1 404 Not Found");
        shutdown.store(true, Ordering::SeqCst);
        handle.join().unwrap();
    }
}
