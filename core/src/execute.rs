//! Runs one HTTP exchange of a call: throttle, send, classify, retry per the matrix, all within the call's
//! deadline and cancellation.

use crate::decode::{self, DecodeFailure};
use crate::retry::{self, Failure, Method, Verdict};
use crate::secret::ApiKeySecret;
use crate::transport::{Outgoing, SendError};
use crate::{CancellationToken, Client, Error, ErrorKind, OutcomeUnknown, Result};
use std::future::Future;
use std::time::{Duration, SystemTime};
use tracing::Instrument;

/// The deadline, cancellation, request id and retry limit shared by every request of one public call.
#[derive(Debug, Clone)]
pub(crate) struct CallContext {
    /// The public operation (for logs).
    pub(crate) op: &'static str,
    deadline: tokio::time::Instant,
    timeout: Duration,
    cancel: Option<CancellationToken>,
    /// The `X-Request-ID` sent with every request of this call, retries included.
    pub(crate) request_id: String,
    max_retries: u32,
}

/// Why a wait was cut short.
enum Interrupt {
    Deadline,
    Cancelled,
}

impl CallContext {
    /// The context of a call made through `client` (its [`crate::CallOptions`] over the builder's settings).
    pub(crate) fn new(client: &Client, op: &'static str) -> Result<CallContext> {
        let options = &client.options;
        let builder = &client.inner.builder;
        let request_id = match &options.request_id {
            Some(id) => {
                let id = id.trim();
                if id.is_empty() || id.len() > 200 || http::HeaderValue::from_str(id).is_err() {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        "request_id must be 1-200 visible ASCII characters",
                    ));
                }
                id.to_string()
            }
            None => uuid::Uuid::new_v4().to_string(),
        };
        let timeout = options.timeout.unwrap_or(builder.call_timeout);
        Ok(CallContext {
            op,
            deadline: deadline_after(timeout),
            timeout,
            cancel: options.cancellation.clone(),
            request_id,
            max_retries: options.max_retries.unwrap_or(builder.max_retries),
        })
    }

    /// A context for cleanup after a failed verification: a fresh deadline and request id, and no
    /// cancellation, so that a key which must go is revoked even when the caller gave up.
    pub(crate) fn cleanup(client: &Client, op: &'static str) -> CallContext {
        let builder = &client.inner.builder;
        CallContext {
            op,
            deadline: deadline_after(builder.call_timeout),
            timeout: builder.call_timeout,
            cancel: None,
            request_id: uuid::Uuid::new_v4().to_string(),
            max_retries: builder.max_retries,
        }
    }

    /// The same call with a fresh deadline (the part of a rotation after the caller's store returned, which
    /// may come long after the call began): same cancellation, request id and retries.
    pub(crate) fn renewed(&self) -> CallContext {
        CallContext {
            deadline: deadline_after(self.timeout),
            ..self.clone()
        }
    }

    /// A span naming the call (`op`, `request_id`), so that the steps logged outside its requests (recovery,
    /// rotation) carry them too.
    pub(crate) fn span(&self) -> tracing::Span {
        tracing::debug_span!("neon_api_keys.call", op = self.op, request_id = %self.request_id)
    }

    /// Whether the caller cancelled the call.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(CancellationToken::is_cancelled)
    }

    /// Runs `fut` (the caller's own code) until it ends or the call is cancelled; no deadline applies. A
    /// future that has finished wins over a cancellation that arrived meanwhile: its work is done.
    pub(crate) async fn unless_cancelled<F: Future>(&self, fut: F) -> Option<F::Output> {
        tokio::select! {
            biased;
            out = fut => Some(out),
            () = self.cancelled() => None,
        }
    }

    /// Resolves when the caller cancels the call; never without a cancellation token.
    async fn cancelled(&self) {
        match &self.cancel {
            Some(token) => token.cancelled().await,
            None => std::future::pending::<()>().await,
        }
    }

    /// The error of a call cancelled by the caller, with `what` happened.
    pub(crate) fn cancelled_error(&self, what: &str) -> Error {
        Error::new(
            ErrorKind::Cancelled,
            format!("the call was cancelled: {what}"),
        )
        .with_request_id(self.request_id.clone())
    }

    fn remaining(&self) -> Duration {
        self.deadline
            .saturating_duration_since(tokio::time::Instant::now())
    }

    /// Runs `fut` until it ends, the deadline passes or the call is cancelled.
    async fn guard<F: Future>(&self, fut: F) -> Result<F::Output, Interrupt> {
        tokio::select! {
            biased;
            () = self.cancelled() => Err(Interrupt::Cancelled),
            () = tokio::time::sleep_until(self.deadline) => Err(Interrupt::Deadline),
            out = fut => Ok(out),
        }
    }

    fn interrupt_error(&self, interrupt: &Interrupt) -> Error {
        let error = match interrupt {
            Interrupt::Deadline => Error::new(
                ErrorKind::Timeout,
                format!(
                    "the call did not finish within its timeout of {:?}",
                    self.timeout
                ),
            ),
            Interrupt::Cancelled => Error::new(ErrorKind::Cancelled, "the call was cancelled"),
        };
        error.with_request_id(self.request_id.clone())
    }

    /// Fails fast when the call is already cancelled or out of time.
    pub(crate) fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            return Err(self.interrupt_error(&Interrupt::Cancelled));
        }
        if self.remaining().is_zero() {
            return Err(self.interrupt_error(&Interrupt::Deadline));
        }
        Ok(())
    }
}

fn deadline_after(timeout: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(timeout)
        .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600))
}

/// What a create asked for: used for its request, its verification and, when its outcome is unknown,
/// for finding the key that may exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CreateTarget {
    pub(crate) key_name: String,
    pub(crate) org_id: Option<String>,
    pub(crate) project_id: Option<String>,
}

/// One HTTP exchange to run.
pub(crate) struct Exchange<'a> {
    pub(crate) method: Method,
    /// The path template (`/organizations/{org_id}/api_keys`), for throttling and logs.
    pub(crate) route: &'static str,
    /// The concrete path, after the base URL.
    pub(crate) path: String,
    pub(crate) body: Option<serde_json::Value>,
    pub(crate) key: &'a ApiKeySecret,
    /// For creates: what was asked (needed for `OutcomeUnknown`).
    pub(crate) create: Option<&'a CreateTarget>,
}

impl<'a> Exchange<'a> {
    /// A `GET` of `path` (whose template is `route`) with `key`.
    pub(crate) fn get(route: &'static str, path: String, key: &'a ApiKeySecret) -> Exchange<'a> {
        Exchange {
            method: Method::Get,
            route,
            path,
            body: None,
            key,
            create: None,
        }
    }

    /// A `DELETE` (a revoke) of `path` with `key`.
    pub(crate) fn delete(route: &'static str, path: String, key: &'a ApiKeySecret) -> Exchange<'a> {
        Exchange {
            method: Method::Delete,
            ..Exchange::get(route, path, key)
        }
    }

    /// The `POST` of a create of `target`, sending `body`.
    pub(crate) fn create(
        route: &'static str,
        path: String,
        body: serde_json::Value,
        key: &'a ApiKeySecret,
        target: &'a CreateTarget,
    ) -> Exchange<'a> {
        Exchange {
            method: Method::Post,
            body: Some(body),
            create: Some(target),
            ..Exchange::get(route, path, key)
        }
    }
}

/// The error of a create whose outcome is unknown, with the window (on Neon's clock) in which the key may
/// have been created.
pub(crate) fn outcome_unknown(
    client: &Client,
    target: &CreateTarget,
    started: SystemTime,
    cause: &Error,
) -> Error {
    let clock = &client.inner.clock;
    let (not_before, not_after) = crate::clock::window(clock.to_server(started), clock.now());
    let details = OutcomeUnknown {
        key_name: target.key_name.clone(),
        org_id: target.org_id.clone(),
        project_id: target.project_id.clone(),
        not_before,
        not_after,
        candidate_ids: Vec::new(),
    };
    let message = format!(
        "the create of key {:?} may or may not have happened ({}): a live key may exist whose secret was \
         never returned; list the keys and revoke any named {:?} created in the reported window",
        target.key_name,
        cause.message(),
        target.key_name
    );
    let mut error = Error::new(ErrorKind::OutcomeUnknown, message).with_outcome_unknown(details);
    if let Some(status) = cause.status() {
        error = error.with_status(status);
    }
    if let Some(id) = cause.request_id() {
        error = error.with_request_id(id);
    }
    error
}

/// A 404 on a revoke's retry after an attempt without a clear answer: the key is most likely gone already.
fn revoked_by_earlier_attempt(error: Error) -> Error {
    let mut out = Error::new(
        ErrorKind::NotFound,
        format!(
            "{} (an earlier attempt of this revoke got no clear answer and has most likely revoked the key)",
            error.message()
        ),
    );
    if let Some(status) = error.status() {
        out = out.with_status(status);
    }
    if let Some(code) = error.code() {
        out = out.with_code(code);
    }
    if let Some(id) = error.request_id() {
        out = out.with_request_id(id);
    }
    out
}

impl Client {
    /// Runs an exchange to a decoded value, retrying per Neon's rules.
    pub(crate) async fn execute<T>(
        &self,
        ctx: &CallContext,
        exchange: &Exchange<'_>,
        decode: impl Fn(&[u8]) -> Result<T, DecodeFailure>,
    ) -> Result<T> {
        let span = tracing::debug_span!(
            "neon_api_keys.request",
            op = ctx.op,
            method = exchange.method.as_str(),
            route = exchange.route,
            request_id = %ctx.request_id,
        );
        self.execute_inner(ctx, exchange, decode)
            .instrument(span)
            .await
    }

    async fn execute_inner<T>(
        &self,
        ctx: &CallContext,
        exchange: &Exchange<'_>,
        decode: impl Fn(&[u8]) -> Result<T, DecodeFailure>,
    ) -> Result<T> {
        let inner = &self.inner;
        let builder = &inner.builder;
        let started = SystemTime::now();
        let mut retries: u32 = 0;
        let mut broken_bodies: u32 = 0;
        // An earlier attempt may have taken effect without a clear answer (timeout, reset, 5xx, broken body).
        let mut maybe_applied = false;
        ctx.check()?;
        loop {
            let waited = ctx
                .guard(inner.throttle.acquire(exchange.method, exchange.route))
                .await
                .map_err(|i| ctx.interrupt_error(&i))?;
            let attempt = retries + 1;
            let throttle_wait_ms = waited.as_millis() as u64;
            if throttle_wait_ms > 0 {
                tracing::info!(
                    attempt,
                    throttle_wait_ms,
                    "throttled to stay under Neon's rate limits"
                );
            }
            tracing::debug!(attempt, throttle_wait_ms, "sending");
            let sent_at = tokio::time::Instant::now();
            let outgoing = Outgoing {
                method: exchange.method,
                path: &exchange.path,
                body: exchange.body.as_ref(),
                key: exchange.key,
                request_id: &ctx.request_id,
            };
            let sent = match ctx.guard(inner.transport.send(&outgoing)).await {
                Ok(sent) => sent,
                Err(interrupt) => {
                    let error = ctx.interrupt_error(&interrupt);
                    tracing::debug!(attempt, kind = %error.kind(), "interrupted in flight");
                    return Err(match exchange.create {
                        // The request may have been written: say so, whatever stopped the call (a deadline
                        // or a cancellation), with the name and window to look for the key.
                        Some(target) => outcome_unknown(self, target, started, &error),
                        None => error,
                    });
                }
            };
            let (failure, error) = match sent {
                Ok(mut incoming) => {
                    inner.clock.observe(&incoming.headers);
                    let status = incoming.status;
                    let elapsed_ms = sent_at.elapsed().as_millis() as u64;
                    tracing::debug!(attempt, status, elapsed_ms, "response");
                    if (200..300).contains(&status) {
                        let decoded = if incoming.body_too_large {
                            Err(DecodeFailure(format!(
                                "the response body is larger than the {} MiB this client accepts",
                                crate::transport::MAX_BODY_BYTES / (1024 * 1024)
                            )))
                        } else if incoming.body_broken {
                            Err(DecodeFailure(
                                "the response body broke off before its end".to_string(),
                            ))
                        } else {
                            decode(&incoming.body)
                        };
                        if exchange.create.is_some() {
                            // The create's body held the secret: wipe this copy of it.
                            zeroize::Zeroize::zeroize(&mut incoming.body);
                        }
                        match decoded {
                            Ok(value) => {
                                inner.budget.refund();
                                return Ok(value);
                            }
                            Err(failure) => {
                                let request_id = decode::response_request_id(
                                    None,
                                    &incoming.headers,
                                    &ctx.request_id,
                                );
                                let error = failure
                                    .into_error()
                                    .with_status(status)
                                    .with_request_id(request_id);
                                (Failure::BrokenBody, error)
                            }
                        }
                    } else {
                        let error = decode::api_error(
                            status,
                            &incoming.headers,
                            &incoming.body,
                            &ctx.request_id,
                        );
                        (Failure::Status(status), error)
                    }
                }
                Err(SendError::Fatal(error)) => return Err(error),
                Err(SendError::NotSent(error)) => (Failure::NotSent, error),
                Err(SendError::Timeout(error)) => (Failure::Timeout, error),
                Err(SendError::Lost(error)) => (Failure::Lost, error),
            };
            let error = if error.request_id().is_none() {
                error.with_request_id(ctx.request_id.clone())
            } else {
                error
            };
            match retry::verdict(exchange.method, failure, broken_bodies) {
                Verdict::Fail => {
                    if maybe_applied
                        && exchange.method == Method::Delete
                        && error.kind() == ErrorKind::NotFound
                    {
                        return Err(revoked_by_earlier_attempt(error));
                    }
                    return Err(error);
                }
                Verdict::OutcomeUnknown => {
                    let Some(target) = exchange.create else {
                        return Err(error);
                    };
                    tracing::warn!(attempt, failure = %failure, "create outcome unknown");
                    return Err(outcome_unknown(self, target, started, &error));
                }
                Verdict::Retry => {}
            }
            if retries >= ctx.max_retries {
                tracing::info!(attempt, failure = %failure, "no retries left");
                return Err(error);
            }
            let mut wait = retry::backoff(builder.backoff_base, builder.backoff_cap, retries);
            if let Some(hint) = error.retry_after() {
                if hint > builder.max_retry_wait || hint >= ctx.remaining() {
                    tracing::debug!(
                        attempt,
                        retry_after_ms = hint.as_millis() as u64,
                        "Retry-After too long; giving up"
                    );
                    return Err(error);
                }
                wait = wait.max(hint);
            }
            if wait >= ctx.remaining() {
                tracing::debug!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "backoff would pass the deadline; giving up"
                );
                return Err(error);
            }
            if !inner.budget.try_spend(failure == Failure::Timeout) {
                tracing::info!(attempt, "retry budget exhausted");
                return Err(error);
            }
            if failure == Failure::BrokenBody {
                broken_bodies += 1;
            }
            maybe_applied |=
                !matches!(failure, Failure::NotSent | Failure::Status(423 | 429 | 503));
            tracing::info!(
                attempt,
                failure = %failure,
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            ctx.guard(tokio::time::sleep(wait))
                .await
                .map_err(|i| ctx.interrupt_error(&i))?;
            retries += 1;
        }
    }
}
