//! HTTP: one reqwest client per [`crate::Client`] (rustls with the ring provider and the platform's roots),
//! base URL checks, and one attempt = one request whose whole body is read.

use crate::retry::Method;
use crate::secret::ApiKeySecret;
use crate::{ClientBuilder, Error, ErrorKind, Result};
use std::sync::Arc;
use std::time::Duration;

/// Idle connections are closed after this, below common servers' keep-alive (reqwest's 90 s default
/// causes `IncompleteMessage` errors on reuse).
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Most redirects followed (same origin only).
const MAX_REDIRECTS: usize = 5;
/// Largest response body read (a list of 10,000 keys is about 3 MB).
pub(crate) const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The sender of requests. Cheap to share.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base_url: String,
    attempt_timeout: Duration,
}

/// One HTTP request to send.
pub(crate) struct Outgoing<'a> {
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) body: Option<&'a serde_json::Value>,
    pub(crate) key: &'a ApiKeySecret,
    pub(crate) request_id: &'a str,
}

/// A response with its whole body.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Vec<u8>,
    /// The body could not be read to its end (the connection broke); `body` holds what arrived.
    pub(crate) body_broken: bool,
    /// The body passed [`MAX_BODY_BYTES`] and reading stopped there (implies `body_broken`).
    pub(crate) body_too_large: bool,
}

/// Why an attempt produced no response.
#[derive(Debug)]
pub(crate) enum SendError {
    /// Nothing was sent (connect refused, DNS, TLS handshake, connect timeout).
    NotSent(Error),
    /// The per-attempt timeout passed; the request may have been written.
    Timeout(Error),
    /// The connection broke after the request may have been written.
    Lost(Error),
    /// Retrying cannot help (a request that cannot be built, a certificate that does not verify).
    Fatal(Error),
}

/// Checks a base URL: `https://` anywhere, `http://` only to loopback; no credentials, query or fragment.
/// Errors never echo the URL (it may hold userinfo or tokens).
pub(crate) fn check_base_url(raw: &str) -> Result<url::Url> {
    let url = url::Url::parse(raw.trim()).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("the base URL is not a valid URL ({e})"),
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::new(
            ErrorKind::Config,
            "the base URL must not contain credentials (user:password@); pass the API key as the client's key instead",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::new(
            ErrorKind::Config,
            "the base URL must not contain a query or fragment",
        ));
    }
    let host = url
        .host()
        .ok_or_else(|| Error::new(ErrorKind::Config, "the base URL has no host"))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&host) => Ok(url),
        "http" => Err(Error::new(
            ErrorKind::Config,
            format!(
                "refusing to send an API key over plain http to {host}: http:// is allowed only for loopback \
                 hosts (127.0.0.0/8, ::1, localhost); use https://"
            ),
        )),
        other => Err(Error::new(
            ErrorKind::Config,
            format!("the base URL scheme must be https (got {other:?})"),
        )),
    }
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(a) => a.is_loopback(),
        url::Host::Ipv6(a) => a.is_loopback(),
    }
}

/// The User-Agent: `neon-api-keys/<version> (<suffix>)`, suffix `rust` by default.
pub(crate) fn user_agent(suffix: Option<&str>) -> String {
    let suffix = suffix
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("rust");
    format!("neon-api-keys/{} ({suffix})", env!("CARGO_PKG_VERSION"))
}

/// rustls with the ring provider (chosen here, never installed process-wide) and the platform's roots plus
/// the caller's extra PEM roots.
fn tls_config(builder: &ClientBuilder, plain_http: bool) -> Result<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut extra: Vec<CertificateDer<'static>> = Vec::new();
    for pem in &builder.root_certificates_pem {
        let before = extra.len();
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("a root certificate PEM could not be read: {e}"),
                )
            })?;
            extra.push(cert);
        }
        if extra.len() == before {
            return Err(Error::new(
                ErrorKind::Config,
                "a root certificate PEM holds no CERTIFICATE block",
            ));
        }
    }
    let versions = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(ErrorKind::Config, format!("TLS setup failed: {e}")))?;
    let verifier = if extra.is_empty() {
        platform_verifier()
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    };
    let mut config = match verifier {
        Ok(verifier) => versions
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth(),
        // No roots on this system: fine for a loopback emulator, which never uses TLS.
        Err(_) if plain_http => versions
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
        Err(e) => {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "no usable CA certificates ({e}); install the system CA bundle or add one with \
                     ClientBuilder::add_root_certificate_pem"
                ),
            ))
        }
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The platform verifier without extra roots, built once per process (loading the system's roots takes a
/// while, and bindings may build many clients).
fn platform_verifier() -> std::result::Result<Arc<rustls_platform_verifier::Verifier>, String> {
    static VERIFIER: std::sync::OnceLock<
        std::result::Result<Arc<rustls_platform_verifier::Verifier>, String>,
    > = std::sync::OnceLock::new();
    VERIFIER
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            rustls_platform_verifier::Verifier::new(provider)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
}

/// Follows redirects only within the same origin, so the Authorization header never leaves it.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

impl Transport {
    /// Builds the HTTP client from the builder's settings and the resolved base URL.
    pub(crate) fn new(builder: &ClientBuilder, base_url: &url::Url) -> Result<Transport> {
        let plain_http = base_url.scheme() == "http";
        let tls = tls_config(builder, plain_http)?;
        let ua = user_agent(builder.user_agent_suffix.as_deref());
        let ua = http::HeaderValue::from_str(&ua).map_err(|_| {
            Error::new(
                ErrorKind::Config,
                "the User-Agent suffix contains characters not allowed in an HTTP header",
            )
        })?;
        let mut http = reqwest::Client::builder()
            .user_agent(ua)
            .connect_timeout(builder.connect_timeout)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .redirect(redirect_policy())
            // Every retry decision is ours (the matrix in retry.rs), none is reqwest's.
            .retry(reqwest::retry::never())
            .referer(false)
            .tls_backend_preconfigured(tls);
        if plain_http {
            // A bearer token over plain http must reach the loopback host itself, never a proxy.
            http = http.no_proxy();
        }
        let http = http.build().map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("could not build the HTTP client: {}", error_chain(&e)),
            )
        })?;
        Ok(Transport {
            http,
            base_url: base_url.as_str().trim_end_matches('/').to_string(),
            attempt_timeout: builder.attempt_timeout,
        })
    }

    /// The base URL without a trailing slash.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends one attempt and reads the whole body, within the per-attempt timeout.
    pub(crate) async fn send(&self, req: &Outgoing<'_>) -> Result<Incoming, SendError> {
        let request = self.build(req).map_err(SendError::Fatal)?;
        let attempt = async {
            let response = self
                .http
                .execute(request)
                .await
                .map_err(|e| classify_send_error(&e))?;
            Ok(read_whole(response).await)
        };
        match tokio::time::timeout(self.attempt_timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Timeout(Error::new(
                ErrorKind::Timeout,
                format!(
                    "no complete response within the attempt timeout of {:?}",
                    self.attempt_timeout
                ),
            ))),
        }
    }

    fn build(&self, req: &Outgoing<'_>) -> Result<reqwest::Request> {
        let url = format!("{}{}", self.base_url, req.path);
        let mut auth = http::HeaderValue::from_str(&format!("Bearer {}", req.key.expose_secret()))
            .map_err(|_| {
                Error::new(
                    ErrorKind::Config,
                    "the API key contains characters not allowed in an HTTP header",
                )
            })?;
        auth.set_sensitive(true);
        let request_id = http::HeaderValue::from_str(req.request_id).map_err(|_| {
            Error::new(
                ErrorKind::InvalidInput,
                "the request id contains characters not allowed in an HTTP header",
            )
        })?;
        let mut builder = self
            .http
            .request(req.method.as_http(), url)
            .header(http::header::AUTHORIZATION, auth)
            .header("x-request-id", request_id)
            .header(http::header::ACCEPT, "application/json");
        if let Some(body) = req.body {
            builder = builder.json(body);
        }
        builder.build().map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("could not build the request: {}", error_chain(&e)),
            )
        })
    }
}

/// Reads the body to its end (or to the size cap); a broken stream is reported, not thrown away.
async fn read_whole(mut response: reqwest::Response) -> Incoming {
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    let mut body = Vec::new();
    let mut body_broken = false;
    let mut body_too_large = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len().saturating_add(chunk.len()) > MAX_BODY_BYTES {
                    body_broken = true;
                    body_too_large = true;
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(_) => {
                body_broken = true;
                break;
            }
        }
    }
    Incoming {
        status,
        headers,
        body,
        body_broken,
        body_too_large,
    }
}

/// The error chain of a reqwest error, without its URL.
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    crate::secret::scrub(&parts.join(": "))
}

/// Whether the failure is a certificate that did not verify: it will not verify on a retry either.
fn is_certificate_error(err: &reqwest::Error) -> bool {
    fn walk(e: &(dyn std::error::Error + 'static), depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return matches!(
                tls,
                rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::InvalidCertRevocationList(_)
            );
        }
        // io::Error hides its payload from `source()`: look inside it.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            if walk(inner, depth + 1) {
                return true;
            }
        }
        e.source().is_some_and(|next| walk(next, depth + 1))
    }
    // rustls' own wording, in case a wrapper type hides the typed error.
    let text = error_chain(err);
    walk(err, 0)
        || text.contains("invalid peer certificate")
        || text.contains("peer sent no certificates")
}

fn classify_send_error(err: &reqwest::Error) -> SendError {
    let cause = reqwest_without_url(err);
    let chain = error_chain(&cause);
    // The cause travels as the error's `source()` (bindings turn it into `__cause__`/`cause`), already free of
    // the URL; the message keeps the same text for callers that only print the error.
    let error = |kind: ErrorKind, message: String| {
        Error::new(kind, message).with_source(reqwest_without_url(err))
    };
    if is_certificate_error(err) {
        return SendError::Fatal(error(
            ErrorKind::Network,
            format!("the server's TLS certificate was not accepted (not retried): {chain}"),
        ));
    }
    if err.is_connect() {
        let kind = if err.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Network
        };
        return SendError::NotSent(error(kind, format!("could not connect: {chain}")));
    }
    if err.is_timeout() {
        return SendError::Timeout(error(
            ErrorKind::Timeout,
            format!("the request timed out: {chain}"),
        ));
    }
    SendError::Lost(error(
        ErrorKind::Network,
        format!("the connection failed after the request may have been sent: {chain}"),
    ))
}

fn reqwest_without_url(err: &reqwest::Error) -> ErrorText {
    ErrorText(err.to_string(), {
        let mut parts = Vec::new();
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            parts.push(cause.to_string());
            source = cause.source();
        }
        parts
    })
}

/// A reqwest error flattened to text, without the URL reqwest puts into its own `Display`.
#[derive(Debug)]
struct ErrorText(String, Vec<String>);

impl std::fmt::Display for ErrorText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let head = match self.0.find(" for url (") {
            Some(at) => self.0.get(..at).unwrap_or(""),
            None => &self.0,
        };
        f.write_str(head)?;
        for part in &self.1 {
            write!(f, ": {part}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorText {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn http_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8080/api/v2",
            "http://127.3.4.5/api/v2",
            "http://[::1]:9/api/v2",
            "http://localhost:1/api/v2",
            "https://console.neon.tech/api/v2",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/api/v2",
            "http://10.0.0.1/api/v2",
            "ftp://127.0.0.1/",
            "not a url",
        ] {
            assert_eq!(
                check_base_url(bad).unwrap_err().kind(),
                ErrorKind::Config,
                "{bad}"
            );
        }
    }

    #[test]
    fn url_errors_never_echo_userinfo_or_query() {
        let e = check_base_url("https://user:hunter2pass@console.neon.tech/api/v2").unwrap_err();
        assert!(!e.to_string().contains("hunter2pass"));
        let e = check_base_url("https://console.neon.tech/api/v2?token=tok3nvalue").unwrap_err();
        assert!(!e.to_string().contains("tok3nvalue"));
        let e = check_base_url("http://evil.example/api/v2?token=tok3nvalue").unwrap_err();
        assert!(!e.to_string().contains("tok3nvalue"));
    }

    #[test]
    fn user_agent_format() {
        assert_eq!(
            user_agent(None),
            format!("neon-api-keys/{} (rust)", env!("CARGO_PKG_VERSION"))
        );
        assert!(user_agent(Some("python/3.12")).ends_with("(python/3.12)"));
    }

    #[test]
    fn bad_pem_is_a_config_error() {
        let b = ClientBuilder::new().add_root_certificate_pem(b"not a pem".to_vec());
        let url = check_base_url("https://console.neon.tech/api/v2").unwrap();
        assert_eq!(
            Transport::new(&b, &url).unwrap_err().kind(),
            ErrorKind::Config
        );
    }
}
