//! Connection-level control for the faults that HTTP handlers cannot express: closing a connection
//! without an answer (`reset_before`, `reset_after`, `stall` ending) and cutting a response body after N
//! bytes while the head still announces the full `Content-Length` (`truncate`).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

/// Per-connection switches, shared by the connection's socket wrapper, its task and its request handler.
#[derive(Debug, Default)]
pub(crate) struct ConnControl {
    /// Cancelled to drop the connection at once (its task stops serving and closes the socket).
    pub kill: CancellationToken,
    reset: AtomicBool,
    truncate: Mutex<Option<usize>>,
}

impl ConnControl {
    /// Drops the connection with a TCP reset and nothing more written.
    pub fn reset(&self) {
        self.reset.store(true, Ordering::SeqCst);
        self.kill.cancel();
    }

    /// Lets the next response head through, then only `body_bytes` bytes of its body, then closes.
    pub fn arm_truncate(&self, body_bytes: usize) {
        *self.truncate.lock().unwrap_or_else(|e| e.into_inner()) = Some(body_bytes);
    }

    fn take_truncate(&self) -> Option<usize> {
        self.truncate
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

/// Where a truncation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Writes pass through.
    Off,
    /// Looking for the end of the response head (`\r\n\r\n`); `matched` bytes of it seen so far.
    Head { matched: usize, body: usize },
    /// In the body, `remaining` bytes may still be written.
    Body { remaining: usize },
    /// Cut: every further write fails.
    Done,
}

const HEAD_END: &[u8; 4] = b"\r\n\r\n";

/// Feeds `bytes` to the head-end matcher; returns the new match length and the index just past the head end.
fn scan(mut matched: usize, bytes: &[u8]) -> (usize, Option<usize>) {
    for (i, b) in bytes.iter().enumerate() {
        matched = if HEAD_END.get(matched) == Some(b) {
            matched + 1
        } else if *b == b'\r' {
            1
        } else {
            0
        };
        if matched == HEAD_END.len() {
            return (matched, Some(i + 1));
        }
    }
    (matched, None)
}

/// A TCP stream that obeys its [`ConnControl`].
#[derive(Debug)]
pub(crate) struct ControlledStream {
    inner: TcpStream,
    ctl: Arc<ConnControl>,
    cut: Cut,
}

impl ControlledStream {
    /// Wraps an accepted stream.
    pub fn new(inner: TcpStream, ctl: Arc<ConnControl>) -> Self {
        ControlledStream {
            inner,
            ctl,
            cut: Cut::Off,
        }
    }

    fn cut_error(&mut self) -> io::Error {
        self.cut = Cut::Done;
        self.ctl.kill.cancel();
        io::Error::new(io::ErrorKind::BrokenPipe, "response truncated by fault")
    }
}

impl Drop for ControlledStream {
    fn drop(&mut self) {
        if self.ctl.reset.load(Ordering::SeqCst) {
            // SO_LINGER 0: close sends RST, and no byte that hyper may still hold is flushed.
            let _ = self.inner.set_zero_linger();
        }
    }
}

impl AsyncRead for ControlledStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ControlledStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.ctl.reset.load(Ordering::SeqCst) {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "connection reset by fault",
            )));
        }
        if let Some(body) = this.ctl.take_truncate() {
            this.cut = Cut::Head { matched: 0, body };
        }
        match this.cut {
            Cut::Off => Pin::new(&mut this.inner).poll_write(cx, buf),
            Cut::Head { matched, body } => {
                let limit = match scan(matched, buf).1 {
                    Some(end) => end + body.min(buf.len() - end),
                    None => buf.len(),
                };
                let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &buf[..limit]))?;
                let (matched, end) = scan(matched, &buf[..n]);
                this.cut = match end {
                    Some(end) => Cut::Body {
                        remaining: body - (n - end),
                    },
                    None => Cut::Head { matched, body },
                };
                Poll::Ready(Ok(n))
            }
            Cut::Body { remaining: 0 } | Cut::Done => Poll::Ready(Err(this.cut_error())),
            Cut::Body { remaining } => {
                let limit = remaining.min(buf.len());
                let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &buf[..limit]))?;
                this.cut = Cut::Body {
                    remaining: remaining - n,
                };
                Poll::Ready(Ok(n))
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::scan;

    #[test]
    fn finds_head_end_across_chunks() {
        let (m, end) = scan(0, b"HTTP/1.1 200 OK\r\nA: b\r\n\r");
        assert_eq!(end, None);
        assert_eq!(scan(m, b"\nbody"), (4, Some(1)));
        assert_eq!(scan(0, b"x\r\n\r\nbody").1, Some(5));
        assert_eq!(scan(0, b"\r\r\n\r\n").1, Some(5));
    }
}
