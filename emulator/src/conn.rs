//! Connection-level control for the faults that HTTP handlers cannot express: closing a connection
//! without an answer (`reset_before`, `reset_after`, `stall` ending), cutting a response body after N
//! bytes while the head still announces the full `Content-Length` (`truncate`), and closing a kept-alive
//! connection right after a complete response or when its next request arrives (`close_after`).

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
    /// Set by `close_after` with `defer`: the next request on this connection resets it.
    stale: AtomicBool,
    limit: Mutex<Option<BodyLimit>>,
}

/// What the socket wrapper does with the next response: let its head through, then `body` bytes, then `then`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BodyLimit {
    body: usize,
    then: AfterBody,
}

/// What happens once the allowed body bytes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterBody {
    /// Further writes fail and the connection closes (the body is cut short).
    Cut,
    /// The connection closes at once (the response was complete).
    Close,
}

impl ConnControl {
    /// Drops the connection with a TCP reset and nothing more written.
    pub fn reset(&self) {
        self.reset.store(true, Ordering::SeqCst);
        self.kill.cancel();
    }

    /// Lets the next response head through, then only `body_bytes` bytes of its body, then closes.
    pub fn arm_truncate(&self, body_bytes: usize) {
        self.arm(BodyLimit {
            body: body_bytes,
            then: AfterBody::Cut,
        });
    }

    /// Lets the next response through, head and `body_bytes` bytes of body (its full length), then closes
    /// the connection normally (FIN), whatever the response's keep-alive semantics said.
    pub fn arm_close_after(&self, body_bytes: usize) {
        self.arm(BodyLimit {
            body: body_bytes,
            then: AfterBody::Close,
        });
    }

    /// Marks the connection stale: the next request that arrives on it should reset it unanswered.
    pub fn mark_stale(&self) {
        self.stale.store(true, Ordering::SeqCst);
    }

    /// Whether the connection was marked stale (and is therefore to be reset instead of answered).
    pub fn is_stale(&self) -> bool {
        self.stale.load(Ordering::SeqCst)
    }

    fn arm(&self, limit: BodyLimit) {
        *self.limit.lock().unwrap_or_else(|e| e.into_inner()) = Some(limit);
    }

    fn take_limit(&self) -> Option<BodyLimit> {
        self.limit.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Where a body limit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Writes pass through.
    Off,
    /// Looking for the end of the response head (`\r\n\r\n`); `matched` bytes of it seen so far.
    Head {
        matched: usize,
        body: usize,
        then: AfterBody,
    },
    /// In the body, `remaining` bytes may still be written.
    Body { remaining: usize, then: AfterBody },
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

    /// The state after the body part of a write: `close_after` closes as soon as the body is complete.
    fn in_body(&mut self, remaining: usize, then: AfterBody) -> Cut {
        if remaining == 0 && then == AfterBody::Close {
            // Everything is in the kernel's send buffer: dropping the socket sends it, then FIN.
            self.ctl.kill.cancel();
            Cut::Off
        } else {
            Cut::Body { remaining, then }
        }
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
        if let Some(BodyLimit { body, then }) = this.ctl.take_limit() {
            this.cut = Cut::Head {
                matched: 0,
                body,
                then,
            };
        }
        match this.cut {
            Cut::Off => Pin::new(&mut this.inner).poll_write(cx, buf),
            Cut::Head {
                matched,
                body,
                then,
            } => {
                let limit = match scan(matched, buf).1 {
                    Some(end) => end + body.min(buf.len() - end),
                    None => buf.len(),
                };
                let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &buf[..limit]))?;
                let (matched, end) = scan(matched, &buf[..n]);
                this.cut = match end {
                    Some(end) => this.in_body(body - (n - end), then),
                    None => Cut::Head {
                        matched,
                        body,
                        then,
                    },
                };
                Poll::Ready(Ok(n))
            }
            Cut::Body { remaining: 0, .. } | Cut::Done => Poll::Ready(Err(this.cut_error())),
            Cut::Body { remaining, then } => {
                let limit = remaining.min(buf.len());
                let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &buf[..limit]))?;
                this.cut = this.in_body(remaining - n, then);
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
