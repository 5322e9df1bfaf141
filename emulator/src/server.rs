//! The HTTP server: accepts connections, serves each with hyper under a [`ConnControl`], logs API
//! requests, applies queued faults, and hands everything else to the API or control router.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use axum::Router;
use http::{header, HeaderValue, Request, StatusCode};
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::api::ApiCtx;
use crate::canned::canned;
use crate::conn::{ConnControl, ControlledStream};
use crate::faults::{patch_json, FaultAction};
use crate::request_log::LogEntry;
use crate::response::{general_error, REQUEST_ID_HEADER};
use crate::slow_body::TrickleBody;
use crate::state::Shared;

/// Largest request or response body the emulator reads.
const BODY_LIMIT: usize = 10 * 1024 * 1024;

/// Everything a connection needs to answer requests.
#[derive(Clone)]
pub(crate) struct Dispatcher {
    shared: Shared,
    api: TowerToHyperService<Router>,
    control: TowerToHyperService<Router>,
    shutdown: CancellationToken,
}

impl Dispatcher {
    /// A dispatcher over this world; `shutdown` ends stalls.
    pub fn new(shared: Shared, shutdown: CancellationToken) -> Self {
        Dispatcher {
            api: TowerToHyperService::new(crate::api::router(shared.clone())),
            control: TowerToHyperService::new(crate::control::router(shared.clone())),
            shared,
            shutdown,
        }
    }
}

/// Serves connections from `listener` until `shutdown` is cancelled.
pub(crate) async fn serve(
    listener: TcpListener,
    dispatcher: Dispatcher,
    shutdown: CancellationToken,
) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    // Out of file descriptors or similar: back off briefly instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let ctl = Arc::new(ConnControl::default());
        let io = TokioIo::new(ControlledStream::new(stream, ctl.clone()));
        let d = dispatcher.clone();
        let conn_ctl = ctl.clone();
        let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
            let d = d.clone();
            let ctl = conn_ctl.clone();
            async move { Ok::<_, Infallible>(d.handle(req, peer, ctl).await) }
        });
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(io, svc);
            tokio::select! {
                _ = conn => {}
                _ = ctl.kill.cancelled() => {}
                _ = shutdown.cancelled() => {}
            }
        });
    }
}

impl Dispatcher {
    async fn handle(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
        ctl: Arc<ConnControl>,
    ) -> Response {
        if ctl.is_stale() {
            // `close_after` with `defer`: the "server" closed this connection long ago; the request is
            // neither handled nor logged.
            ctl.reset();
            return std::future::pending().await;
        }
        let path = req.uri().path();
        if path == "/_emulator" || path.starts_with("/_emulator/") {
            return match self.control.call(req.map(Body::new)).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
        }
        self.handle_api(req, peer, ctl).await
    }

    async fn handle_api(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
        ctl: Arc<ConnControl>,
    ) -> Response {
        let (parts, incoming) = req.into_parts();
        let request_id = parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let body = match axum::body::to_bytes(Body::new(incoming), BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return with_request_id(
                    general_error(
                        StatusCode::BAD_REQUEST,
                        "invalid request: could not read the request body",
                        &request_id,
                    ),
                    &request_id,
                )
            }
        };
        let method = parts.method.as_str().to_owned();
        let full_path = parts.uri.path().to_owned();
        let api_path = match full_path.strip_prefix("/api/v2") {
            Some("") => "/".to_owned(),
            Some(p) if p.starts_with('/') => p.to_owned(),
            _ => full_path.clone(),
        };
        let logged_body = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()))
        };
        let (seq, fault) = {
            let mut w = self.shared.lock();
            let caller = crate::auth::resolve(&w.data, &parts.headers);
            let seq = w.log.push(LogEntry {
                seq: 0,
                method: method.clone(),
                path: api_path.clone(),
                query: parts.uri.query().map(str::to_owned),
                request_id: request_id.clone(),
                auth: caller.label().to_owned(),
                key_id: caller.key_id(),
                body: logged_body,
                status: None,
                fault: None,
            });
            (seq, w.faults.take(&method, &api_path))
        };
        let fault_name = fault.as_ref().map(FaultAction::name);
        let finish = |status: Option<u16>| self.shared.lock().log.finish(seq, status, fault_name);

        let mut real_req = Request::from_parts(parts, Body::from(body));
        real_req.extensions_mut().insert(ApiCtx {
            request_id: request_id.clone(),
            peer_ip: peer.ip().to_string(),
        });
        let resp = match fault {
            None => self.real(real_req).await,
            Some(FaultAction::Respond(c)) => canned(&c, &request_id),
            Some(FaultAction::RespondAfter(c)) => {
                let _ = self.real(real_req).await;
                canned(&c, &request_id)
            }
            Some(FaultAction::Delay { ms }) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                self.real(real_req).await
            }
            Some(FaultAction::Stall) => {
                finish(None);
                self.shutdown.cancelled().await;
                ctl.reset();
                return std::future::pending().await;
            }
            Some(FaultAction::ResetBefore) => {
                finish(None);
                ctl.reset();
                return std::future::pending().await;
            }
            Some(FaultAction::ResetAfter) => {
                let _ = self.real(real_req).await;
                finish(None);
                ctl.reset();
                return std::future::pending().await;
            }
            Some(FaultAction::Truncate { bytes }) => {
                let (parts, body) = self.real_sized(real_req).await;
                ctl.arm_truncate(bytes.min(body.len().saturating_sub(1)));
                Response::from_parts(parts, Body::from(body))
            }
            Some(FaultAction::Trickle {
                bytes_per_chunk,
                interval_ms,
            }) => {
                let (parts, body) = self.real_sized(real_req).await;
                let interval = Duration::from_millis(interval_ms);
                let body = TrickleBody::new(body, bytes_per_chunk, interval);
                Response::from_parts(parts, Body::new(body))
            }
            Some(FaultAction::CloseAfter { defer }) => {
                let (mut parts, body) = self.real_sized(real_req).await;
                parts.headers.remove(header::CONNECTION);
                if defer {
                    ctl.mark_stale();
                } else {
                    ctl.arm_close_after(body.len());
                }
                Response::from_parts(parts, Body::from(body))
            }
            Some(FaultAction::PatchJson { set, remove }) => {
                let resp = self.real(real_req).await;
                let (mut parts, body) = resp.into_parts();
                let body = axum::body::to_bytes(body, BODY_LIMIT)
                    .await
                    .unwrap_or_default();
                let body = match serde_json::from_slice::<Value>(&body) {
                    Ok(mut v) => {
                        patch_json(&mut v, &set, &remove);
                        v.to_string().into_bytes().into()
                    }
                    Err(_) => body,
                };
                parts.headers.remove(header::CONTENT_LENGTH);
                Response::from_parts(parts, Body::from(body))
            }
        };
        finish(Some(resp.status().as_u16()));
        let date = self.shared.lock().data.clock();
        with_date(with_request_id(resp, &request_id), date)
    }

    async fn real(&self, req: Request<Body>) -> Response {
        match self.api.call(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        }
    }

    /// The real response with its body read, and the head's `Content-Length` set to its length.
    async fn real_sized(&self, req: Request<Body>) -> (http::response::Parts, bytes::Bytes) {
        let (mut parts, body) = self.real(req).await.into_parts();
        let body = axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .unwrap_or_default();
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        (parts, body)
    }
}

/// Adds a `Date` header from the emulator's own (possibly shifted) clock, unless the response already has one
/// (a canned header wins), so that clients can measure Neon's clock.
fn with_date(mut resp: Response, now: chrono::DateTime<chrono::Utc>) -> Response {
    if !resp.headers().contains_key(header::DATE) {
        let text = now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        if let Ok(v) = HeaderValue::from_str(&text) {
            resp.headers_mut().insert(header::DATE, v);
        }
    }
    resp
}

/// Adds `x-neon-ret-request-id` unless the response already has one (a canned header wins).
fn with_request_id(mut resp: Response, request_id: &str) -> Response {
    if !resp.headers().contains_key(REQUEST_ID_HEADER) {
        if let Ok(v) = HeaderValue::from_str(request_id) {
            resp.headers_mut().insert(REQUEST_ID_HEADER, v);
        }
    }
    resp
}
