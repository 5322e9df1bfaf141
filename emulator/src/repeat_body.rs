//! The body of `respond` with `repeat`: one unit repeated N times, streamed in blocks of about 64 KiB so a
//! huge body (hundreds of MiB) costs no more memory than one block.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use hyper::body::{Body, Frame, SizeHint};

/// Target size of one streamed block.
const BLOCK: usize = 64 * 1024;

/// A body of `unit` repeated `times` times.
#[derive(Debug)]
pub(crate) struct RepeatBody {
    unit: Bytes,
    /// `unit` repeated `per_block` times.
    block: Bytes,
    per_block: u64,
    /// Units still to send.
    left: u64,
    /// Whether the size is announced (`Content-Length`) or hidden (chunked encoding).
    exact: bool,
}

impl RepeatBody {
    /// `unit` repeated `times` times; `announce_length: false` hides the length so hyper sends it chunked.
    pub fn new(unit: Bytes, times: u64, announce_length: bool) -> Self {
        let per_block = (BLOCK / unit.len().max(1)).max(1);
        let mut block = BytesMut::with_capacity(unit.len() * per_block);
        for _ in 0..per_block {
            block.extend_from_slice(&unit);
        }
        RepeatBody {
            left: if unit.is_empty() { 0 } else { times },
            unit,
            block: block.freeze(),
            per_block: per_block as u64,
            exact: announce_length,
        }
    }

    /// The total length in bytes.
    pub fn len(&self) -> u64 {
        self.left.saturating_mul(self.unit.len() as u64)
    }
}

impl Body for RepeatBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.left == 0 {
            return Poll::Ready(None);
        }
        let data = if this.left >= this.per_block {
            this.left -= this.per_block;
            this.block.clone()
        } else {
            // Fewer than a block's worth of units: a prefix of the block.
            let n = this.left as usize * this.unit.len();
            this.left = 0;
            this.block.slice(..n)
        };
        Poll::Ready(Some(Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> SizeHint {
        if self.exact {
            SizeHint::with_exact(self.len())
        } else {
            SizeHint::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn drain(mut body: RepeatBody) -> Vec<u8> {
        let mut all = Vec::new();
        while let Some(Ok(frame)) =
            std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            all.extend_from_slice(&frame.into_data().unwrap_or_default());
        }
        all
    }

    #[tokio::test]
    async fn repeats_exactly_across_blocks() {
        let unit = Bytes::from_static(b"xyz");
        let times = (BLOCK / 3) as u64 * 2 + 5;
        let body = RepeatBody::new(unit, times, true);
        assert_eq!(body.size_hint().exact(), Some(times * 3));
        let all = drain(body).await;
        assert_eq!(all.len() as u64, times * 3);
        assert!(all.chunks(3).all(|c| c == b"xyz"));
    }

    #[tokio::test]
    async fn empty_unit_or_zero_times_is_empty_and_hidden_length_is_unknown() {
        assert!(drain(RepeatBody::new(Bytes::new(), 9, true))
            .await
            .is_empty());
        assert!(drain(RepeatBody::new(Bytes::from_static(b"a"), 0, true))
            .await
            .is_empty());
        let hidden = RepeatBody::new(Bytes::from_static(b"a"), 3, false);
        assert_eq!(hidden.size_hint().exact(), None);
        assert_eq!(drain(hidden).await, b"aaa");
    }
}
