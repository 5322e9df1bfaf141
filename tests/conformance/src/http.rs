//! A tiny HTTP/1.1 client for the emulator's control API (loopback, JSON, `Connection: close`). It keeps the
//! runner independent of any async runtime, so the blocking client can be driven from the same thread.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// `http://host:port` and the path prefix of a URL like `http://127.0.0.1:1234/_emulator`.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl {
    host_port: String,
    prefix: String,
}

impl BaseUrl {
    pub(crate) fn parse(url: &str) -> Result<BaseUrl, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("control URL {url:?} is not http://"))?;
        let (host_port, prefix) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        Ok(BaseUrl {
            host_port: host_port.to_string(),
            prefix: prefix.trim_end_matches('/').to_string(),
        })
    }

    /// Sends one request and returns the status and the body parsed as JSON (`null` when empty).
    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), String> {
        let target = format!("{}{}", self.prefix, path);
        let what = format!("{method} {target}");
        let mut stream = TcpStream::connect(&self.host_port)
            .map_err(|e| format!("{what}: connect to {}: {e}", self.host_port))?;
        let timeout = Some(Duration::from_secs(10));
        stream
            .set_read_timeout(timeout)
            .and_then(|_| stream.set_write_timeout(timeout))
            .map_err(|e| format!("{what}: {e}"))?;
        let payload = body.map(|b| b.to_string()).unwrap_or_default();
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n",
            self.host_port
        );
        if body.is_some() {
            head.push_str("Content-Type: application/json\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", payload.len()));
        stream
            .write_all(head.as_bytes())
            .and_then(|_| stream.write_all(payload.as_bytes()))
            .map_err(|e| format!("{what}: write: {e}"))?;
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .map_err(|e| format!("{what}: read: {e}"))?;
        let split = find(&raw, b"\r\n\r\n").ok_or_else(|| format!("{what}: no HTTP header end"))?;
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut body = raw[split + 4..].to_vec();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| format!("{what}: bad status line in {head:?}"))?;
        let chunked = head.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("transfer-encoding:") && l.contains("chunked")
        });
        if chunked {
            body = dechunk(&body).ok_or_else(|| format!("{what}: bad chunked body"))?;
        }
        let text = String::from_utf8_lossy(&body);
        let value = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .map_err(|e| format!("{what}: answer is not JSON ({e}): {text}"))?
        };
        Ok((status, value))
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
