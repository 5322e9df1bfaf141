//! The body of `trickle`: a response body sent a few bytes at a time with a pause before each chunk,
//! a slowloris from the server side.

use std::convert::Infallible;
use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// A body that yields `chunk` bytes of `data` after each `interval`.
#[derive(Debug)]
pub(crate) struct TrickleBody {
    data: Bytes,
    chunk: usize,
    interval: Duration,
    pause: Option<Pin<Box<Sleep>>>,
}

impl TrickleBody {
    /// Trickles `data` in chunks of `chunk` bytes (at least 1), pausing `interval` before each.
    pub fn new(data: Bytes, chunk: usize, interval: Duration) -> Self {
        TrickleBody {
            data,
            chunk: chunk.max(1),
            interval,
            pause: None,
        }
    }
}

impl Body for TrickleBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.data.is_empty() {
            return Poll::Ready(None);
        }
        let interval = this.interval;
        let pause = this
            .pause
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(interval)));
        if pause.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        this.pause = None;
        let n = this.chunk.min(this.data.len());
        Poll::Ready(Some(Ok(Frame::data(this.data.split_to(n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn yields_fixed_chunks_then_ends() {
        let mut body =
            TrickleBody::new(Bytes::from_static(b"abcdefg"), 3, Duration::from_millis(1));
        assert_eq!(body.size_hint().exact(), Some(7));
        let mut chunks = Vec::new();
        while let Some(Ok(frame)) =
            std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            chunks.extend(frame.into_data().ok());
        }
        assert_eq!(chunks, vec!["abc", "def", "g"]);
        assert!(body.is_end_stream());
    }
}
