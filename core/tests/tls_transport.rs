//! TLS and transport safety, against local servers made at test time (rcgen mints a CA and leaf certificates;
//! tokio-rustls serves them). Nothing leaves 127.0.0.0/8.
//!
//! - A self-signed certificate fails with a clear `Network` error naming the certificate problem.
//! - With `add_root_certificate_pem(ca)` the same kind of server is trusted and the call works.
//! - A bearer token is never sent over plain http to a non-loopback host: `build()` refuses (`Config`).
//! - A redirect to another host or port never carries the `Authorization` header there.
//! - `HTTPS_PROXY` / `NO_PROXY` are honoured (checked in a child process, since the environment is
//!   process-wide): through the proxy with a CONNECT tunnel (the key stays inside TLS), around it for NO_PROXY.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use neon_api_keys::{Client, ErrorKind};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The API key the tests send; a server "sees the key" when this appears in a request head.
const SECRET: &str = "tlstransportsecret0123456789abcdefghijklmnopqrstuvwxyz0123456789";
/// A recorded `GET /api_keys` answer (neon-api.md).
const LIST_BODY: &str = r#"[{"id":1954948,"name":"pytest-8050","created_at":"2025-01-16T21:01:58Z","created_by":{"id":"92cdd2ee-a6d8-4647-868f-124531123b03","name":"David Gomes"},"last_used_at":null,"last_used_from_addr":""}]"#;
/// A name that never resolves (RFC 6761): only a proxy can reach it.
const PROXIED_HOST: &str = "api.neon-test.invalid";

// ---------------------------------------------------------------------------------------------------------
// Certificates

struct Leaf {
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn leaf_params(names: &[&str]) -> CertificateParams {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "neon-api-keys test server");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params
}

fn key_der(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivatePkcs8KeyDer::from(key.serialize_der()).into()
}

/// A self-signed leaf for `names`: no CA anywhere vouches for it.
fn self_signed(names: &[&str]) -> Leaf {
    let key = KeyPair::generate().unwrap();
    let cert = leaf_params(names).self_signed(&key).unwrap();
    Leaf {
        cert: cert.der().clone(),
        key: key_der(&key),
    }
}

/// A fresh CA (PEM) and a leaf for `names` signed by it.
fn ca_and_leaf(names: &[&str]) -> (String, Leaf) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "neon-api-keys test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = leaf_params(names).signed_by(&key, &ca).unwrap();
    (
        ca.pem(),
        Leaf {
            cert: cert.der().clone(),
            key: key_der(&key),
        },
    )
}

fn server_config(leaf: Leaf) -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.cert], leaf.key)
        .unwrap();
    Arc::new(config)
}

// ---------------------------------------------------------------------------------------------------------
// Tiny recording servers (one request per connection, then close)

/// What a server saw.
#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    handshakes: AtomicUsize,
    heads: Mutex<Vec<String>>,
}

impl Seen {
    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
    fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
    fn saw_secret(&self) -> bool {
        self.heads().iter().any(|h| h.contains(SECRET))
    }
}

type Respond = Arc<dyn Fn(&str) -> String + Send + Sync>;

fn response(status: u16, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\
         connection: close\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

fn list_ok() -> Respond {
    Arc::new(|_| response(200, "", LIST_BODY))
}

/// Reads a request head (up to the blank line), at most 64 KiB, within 10 s.
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Option<String> {
    let read = async {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                return Some(String::from_utf8_lossy(&buf[..end]).into_owned());
            }
            if buf.len() > 64 * 1024 {
                return None;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()
        .flatten()
}

async fn answer<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, seen: &Seen, respond: &Respond) {
    if let Some(head) = read_head(&mut stream).await {
        seen.heads.lock().unwrap().push(head.clone());
        let _ = stream.write_all(respond(&head).as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}

/// A plain-HTTP server on `ip`.
async fn plain_server(ip: &str, respond: Respond) -> (SocketAddr, Arc<Seen>) {
    let listener = TcpListener::bind((ip, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            s.connections.fetch_add(1, Ordering::SeqCst);
            let (s, respond) = (s.clone(), respond.clone());
            tokio::spawn(async move { answer(stream, &s, &respond).await });
        }
    });
    (addr, seen)
}

/// An HTTPS server on 127.0.0.1 with this certificate.
async fn tls_server(
    config: Arc<rustls::ServerConfig>,
    respond: Respond,
) -> (SocketAddr, Arc<Seen>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            s.connections.fetch_add(1, Ordering::SeqCst);
            let (s, respond, acceptor) = (s.clone(), respond.clone(), acceptor.clone());
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(stream).await {
                    s.handshakes.fetch_add(1, Ordering::SeqCst);
                    answer(tls, &s, &respond).await;
                }
            });
        }
    });
    (addr, seen)
}

/// An HTTP CONNECT proxy on 127.0.0.1 that records each request head and tunnels every CONNECT to
/// `upstream`, whatever host it names (so `api.neon-test.invalid` never needs DNS).
async fn connect_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<Seen>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            s.connections.fetch_add(1, Ordering::SeqCst);
            let s = s.clone();
            tokio::spawn(async move {
                let Some(head) = read_head(&mut client).await else {
                    return;
                };
                s.heads.lock().unwrap().push(head.clone());
                if !head.starts_with("CONNECT ") {
                    let _ = client.write_all(response(405, "", "").as_bytes()).await;
                    return;
                }
                let Ok(mut server) = TcpStream::connect(upstream).await else {
                    let _ = client.write_all(response(502, "", "").as_bytes()).await;
                    return;
                };
                let established = "HTTP/1.1 200 Connection Established\r\n\r\n";
                if client.write_all(established.as_bytes()).await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    (addr, seen)
}

fn client(base_url: &str) -> neon_api_keys::ClientBuilder {
    Client::builder()
        .api_key(SECRET)
        .base_url(base_url)
        .throttle(false)
        .max_retries(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .connect_timeout(Duration::from_secs(5))
        .attempt_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(20))
}

// ---------------------------------------------------------------------------------------------------------
// TLS

#[tokio::test]
async fn self_signed_certificate_is_a_clear_network_error() {
    let (addr, seen) = tls_server(server_config(self_signed(&["127.0.0.1"])), list_ok()).await;
    let client = client(&format!("https://{addr}/api/v2")).build().unwrap();
    let err = client.list_api_keys().await.unwrap_err();
    println!(
        "tls self-signed: kind={} connections={} handshakes={} error: {err}",
        err.kind(),
        seen.connections(),
        seen.handshakes()
    );
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "the error should name the certificate problem: {err}"
    );
    assert_eq!(
        seen.handshakes(),
        0,
        "the client accepted an untrusted certificate"
    );
    assert!(
        seen.heads().is_empty(),
        "a request was sent over an untrusted connection"
    );
    assert!(!err.to_string().contains(SECRET));
}

/// A certificate that does not verify will not verify on a retry either: the call should fail after one
/// handshake.
#[tokio::test]
async fn certificate_errors_are_not_retried() {
    let (addr, seen) = tls_server(server_config(self_signed(&["127.0.0.1"])), list_ok()).await;
    let client = client(&format!("https://{addr}/api/v2")).build().unwrap();
    let err = client.list_api_keys().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert_eq!(seen.connections(), 1, "a certificate failure was retried");
}

#[tokio::test]
async fn extra_root_certificate_is_trusted() {
    let (ca_pem, leaf) = ca_and_leaf(&["127.0.0.1", "localhost"]);
    let (addr, seen) = tls_server(server_config(leaf), list_ok()).await;
    let url = format!("https://{addr}/api/v2");

    // Without the CA: refused, like any unknown issuer.
    let err = client(&url)
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert_eq!(seen.handshakes(), 0);

    // With it: trusted, and the key travels inside TLS.
    let client = client(&url)
        .add_root_certificate_pem(ca_pem.into_bytes())
        .build()
        .unwrap();
    let keys = client.list_api_keys().await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].id, 1954948);
    let heads = seen.heads();
    println!(
        "tls extra root: handshakes={} requests={}",
        seen.handshakes(),
        heads.len()
    );
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].starts_with("GET /api/v2/api_keys "),
        "{}",
        heads[0]
    );
    assert!(
        heads[0]
            .to_lowercase()
            .contains(&format!("authorization: bearer {SECRET}")),
        "the bearer token should be sent over TLS"
    );
}

#[tokio::test]
async fn bad_root_certificate_pem_is_a_config_error() {
    let err = client("https://127.0.0.1:9/api/v2")
        .add_root_certificate_pem(b"not a certificate".to_vec())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
}

// ---------------------------------------------------------------------------------------------------------
// Plain http

#[tokio::test]
async fn bearer_is_never_sent_over_cleartext_to_a_remote_host() {
    // None of these is contacted: `build()` must refuse before any connection exists (the names are
    // reserved/unresolvable and the addresses documentation or link-local ranges, so a regression would
    // still not reach anyone).
    for url in [
        "http://api.neon-test.invalid/api/v2",
        "http://192.0.2.10/api/v2",
        "http://[2001:db8::1]/api/v2",
        "http://[fe80::1]:8080/api/v2",
        "http://127.0.0.1.neon-test.invalid/api/v2",
        "http://localhost.neon-test.invalid/api/v2",
        "http://127.0.0.1@api.neon-test.invalid/api/v2",
    ] {
        match client(url).build() {
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::Config, "{url}: {err}");
                assert!(!err.to_string().contains(SECRET));
            }
            Ok(_) => {
                panic!("{url}: a client that may send the key over plain http to a remote host")
            }
        }
    }
    // Loopback over plain http is allowed (the emulator), and the key does reach it.
    let (addr, seen) = plain_server("127.0.0.2", list_ok()).await;
    let keys = client(&format!("http://{addr}/api/v2"))
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert!(seen.saw_secret());
}

// ---------------------------------------------------------------------------------------------------------
// Redirects

#[tokio::test]
async fn authorization_never_follows_a_redirect_to_another_host_or_port() {
    let (other_host, other_host_seen) = plain_server("127.0.0.2", list_ok()).await;
    let (other_port, other_port_seen) = plain_server("127.0.0.1", list_ok()).await;
    for (target, seen) in [
        (other_host, &other_host_seen),
        (other_port, &other_port_seen),
    ] {
        let location = format!("http://{target}/api/v2/api_keys");
        let redirect: Respond =
            Arc::new(move |_| response(307, &format!("location: {location}\r\n"), ""));
        let (origin, origin_seen) = plain_server("127.0.0.1", redirect).await;
        let result = client(&format!("http://{origin}/api/v2"))
            .build()
            .unwrap()
            .list_api_keys()
            .await;
        let outcome = match &result {
            Ok(keys) => format!("followed, {} keys", keys.len()),
            Err(e) => format!("not followed: {} {:?}", e.kind(), e.status()),
        };
        println!(
            "redirect {origin} -> {target}: {outcome}; origin requests={} target requests={} target saw key={}",
            origin_seen.heads().len(),
            seen.heads().len(),
            seen.saw_secret()
        );
        assert!(
            origin_seen.saw_secret(),
            "the origin itself should get the key"
        );
        assert!(!seen.saw_secret(), "the key was forwarded to {target}");
        for head in seen.heads() {
            assert!(
                !head.to_lowercase().contains("authorization:"),
                "an Authorization header reached {target}"
            );
        }
        if let Err(e) = &result {
            assert!(!e.to_string().contains(SECRET));
        }
    }
}

#[tokio::test]
async fn same_origin_redirect_is_followed_with_the_key() {
    let respond: Respond = Arc::new(|head: &str| {
        if head.starts_with("GET /api/v2/api_keys ") {
            response(307, "location: /api/v2/moved/api_keys\r\n", "")
        } else {
            response(200, "", LIST_BODY)
        }
    });
    let (origin, seen) = plain_server("127.0.0.1", respond).await;
    let keys = client(&format!("http://{origin}/api/v2"))
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    let heads = seen.heads();
    assert_eq!(heads.len(), 2, "{heads:?}");
    assert!(heads[1].starts_with("GET /api/v2/moved/api_keys "));
    assert!(heads.iter().all(|h| h.contains(SECRET)));
}

// ---------------------------------------------------------------------------------------------------------
// Proxies from the environment (in a child process: the environment is shared by every test thread)

const CHILD_URL: &str = "NEON_TLS_TEST_CHILD_URL";
const CHILD_CA: &str = "NEON_TLS_TEST_CHILD_CA";

/// Runs `child_proxy_probe` in a child copy of this test binary with `envs` set and every proxy variable
/// otherwise cleared; returns whether it passed, and its output.
fn run_child(envs: &[(&str, String)]) -> (bool, String) {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = std::process::Command::new(exe);
    cmd.args([
        "child_proxy_probe",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_environment_is_honoured() {
    let (ca_pem, leaf) = ca_and_leaf(&[PROXIED_HOST, "127.0.0.1"]);
    let (server, server_seen) = tls_server(server_config(leaf), list_ok()).await;
    let (proxy, proxy_seen) = connect_proxy(server).await;
    let proxy_url = format!("http://{proxy}");

    // HTTPS_PROXY: the only way to reach a name that does not resolve is through the proxy.
    let envs = vec![
        ("HTTPS_PROXY", proxy_url.clone()),
        (CHILD_URL, format!("https://{PROXIED_HOST}/api/v2")),
        (CHILD_CA, ca_pem.clone()),
    ];
    let (ok, out) = tokio::task::spawn_blocking(move || run_child(&envs))
        .await
        .unwrap();
    assert!(ok, "the call through HTTPS_PROXY failed:\n{out}");
    let tunnels = proxy_seen.heads();
    println!(
        "proxy: HTTPS_PROXY -> proxy saw {:?}; server requests={}",
        tunnels,
        server_seen.heads().len()
    );
    assert_eq!(tunnels.len(), 1, "{tunnels:?}");
    assert!(
        tunnels[0].starts_with(&format!("CONNECT {PROXIED_HOST}:443 ")),
        "{}",
        tunnels[0]
    );
    assert!(
        !proxy_seen.saw_secret(),
        "the API key reached the proxy in clear"
    );
    assert!(
        server_seen.saw_secret(),
        "the key should reach the server through the tunnel"
    );

    // NO_PROXY: the same proxy setting, but this host goes direct.
    let envs = vec![
        ("HTTPS_PROXY", proxy_url),
        ("NO_PROXY", "127.0.0.1".to_string()),
        (CHILD_URL, format!("https://{server}/api/v2")),
        (CHILD_CA, ca_pem),
    ];
    let (ok, out) = tokio::task::spawn_blocking(move || run_child(&envs))
        .await
        .unwrap();
    assert!(ok, "the direct call with NO_PROXY failed:\n{out}");
    println!(
        "proxy: NO_PROXY=127.0.0.1 -> proxy connections={} server requests={}",
        proxy_seen.connections(),
        server_seen.heads().len()
    );
    assert_eq!(proxy_seen.connections(), 1, "NO_PROXY was ignored");
    assert_eq!(server_seen.heads().len(), 2);
}

/// Not a test on its own: `proxy_environment_is_honoured` runs it in a child process with the proxy
/// variables set.
#[tokio::test]
#[ignore = "run by proxy_environment_is_honoured in a child process"]
async fn child_proxy_probe() {
    let (Ok(url), Ok(ca)) = (std::env::var(CHILD_URL), std::env::var(CHILD_CA)) else {
        return;
    };
    let keys = client(&url)
        .max_retries(0)
        .add_root_certificate_pem(ca.into_bytes())
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    println!("child: listed {} key through {url}", keys.len());
}

// ---------------------------------------------------------------------------------------------------------
// Hostile transports: slowloris, gzip, huge bodies, stale pooled connections

/// A server on 127.0.0.1 whose every connection is handled by `handle(stream, connection_number)`.
async fn scripted_server<F, Fut>(handle: F) -> (SocketAddr, Arc<Seen>)
where
    F: Fn(TcpStream, usize, Arc<Seen>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let n = s.connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handle(stream, n, s.clone()));
        }
    });
    (addr, seen)
}

async fn record_head(stream: &mut TcpStream, seen: &Seen) -> Option<String> {
    let head = read_head(stream).await?;
    seen.heads.lock().unwrap().push(head.clone());
    Some(head)
}

#[tokio::test]
async fn slowloris_body_is_cut_by_the_attempt_timeout() {
    // Headers at once, then one byte every 100 ms of a 1,000-byte body (at most 100 s, bounded).
    let (addr, _seen) = scripted_server(|mut stream, _, seen| async move {
        if record_head(&mut stream, &seen).await.is_none() {
            return;
        }
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..1000 {
            if stream.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let started = std::time::Instant::now();
    let err = client(&format!("http://{addr}/api/v2"))
        .max_retries(0)
        .attempt_timeout(Duration::from_secs(1))
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap_err();
    println!(
        "slowloris: {} after {:.2} s (attempt timeout 1 s)",
        err.kind(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
}

/// CRC-32 (IEEE), bitwise: enough for a gzip trailer.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid gzip member holding `data` in one stored (uncompressed) deflate block.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let len = u16::try_from(data.len()).unwrap();
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.push(1); // BFINAL, stored
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
    out
}

#[tokio::test]
async fn gzip_is_never_inflated() {
    // A gzip body that WOULD decode to a valid list: a client that inflated responses would succeed, and a
    // gzip bomb could then expand in memory. The client asks for no encoding and inflates nothing.
    let (addr, seen) = scripted_server(|mut stream, _, seen| async move {
        if record_head(&mut stream, &seen).await.is_none() {
            return;
        }
        let body = gzip_stored(LIST_BODY.as_bytes());
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&body).await;
        let _ = stream.shutdown().await;
    })
    .await;
    let err = client(&format!("http://{addr}/api/v2"))
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap_err();
    let heads = seen.heads();
    println!("gzip: {} after {} requests", err.kind(), heads.len());
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    for head in &heads {
        assert!(
            !head.to_lowercase().contains("accept-encoding"),
            "the client advertised a content encoding: {head}"
        );
    }
}

#[tokio::test]
async fn huge_body_is_capped() {
    // A chunked list that goes on for up to 64 MiB (bounded); the client must stop reading well before.
    const LIMIT: usize = 64 * 1024 * 1024;
    let written = Arc::new(AtomicUsize::new(0));
    let w = written.clone();
    let (addr, _seen) = scripted_server(move |mut stream, _, seen| {
        let w = w.clone();
        async move {
            if record_head(&mut stream, &seen).await.is_none() {
                return;
            }
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let item = r#"{"id":1,"name":"x","created_at":"2025-01-16T21:01:58Z"},"#.repeat(1000);
            let mut chunk = format!("{:x}\r\n[", item.len() + 1).into_bytes();
            chunk.extend_from_slice(item.as_bytes());
            chunk.extend_from_slice(b"\r\n");
            let mut sent = 0;
            let mut first = true;
            while sent < LIMIT {
                let piece = if first {
                    first = false;
                    chunk.clone()
                } else {
                    format!("{:x}\r\n{item}\r\n", item.len()).into_bytes()
                };
                if stream.write_all(&piece).await.is_err() {
                    break;
                }
                sent += piece.len();
                w.fetch_add(piece.len(), Ordering::SeqCst);
            }
        }
    })
    .await;
    let err = client(&format!("http://{addr}/api/v2"))
        .max_retries(0)
        .attempt_timeout(Duration::from_secs(60))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap_err();
    // Give the server a moment to notice the closed connection.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(Ordering::SeqCst);
    println!(
        "huge body: {} after the server wrote {:.1} MiB of an endless list",
        err.kind(),
        sent as f64 / (1024.0 * 1024.0)
    );
    assert!(
        matches!(err.kind(), ErrorKind::Decode | ErrorKind::Network),
        "{err}"
    );
    assert!(sent < LIMIT, "the client read the whole 64 MiB");
}

#[tokio::test]
async fn stale_pooled_connection_is_not_an_error() {
    // Connection 0 answers with keep-alive, then the server closes it while it idles in the client's pool
    // (what a server's keep-alive timeout does). The next calls, a create included, must not fail or become
    // OutcomeUnknown: the client must notice the closed connection and open a new one.
    let (addr, seen) = scripted_server(|mut stream, n, seen| async move {
        let Some(head) = record_head(&mut stream, &seen).await else {
            return;
        };
        let body = if head.starts_with("POST ") {
            r#"{"id":5000,"key":"stalepoolsecret0123456789abcdefghijklmnopqrstuvwxyz0123456789ab","name":"after-idle","created_at":"2025-01-16T21:01:58Z","created_by":"92cdd2ee-a6d8-4647-868f-124531123b03"}"#
        } else {
            LIST_BODY
        };
        let keep_alive = n == 0;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{}\r\n",
            body.len(),
            if keep_alive { "" } else { "connection: close\r\n" }
        );
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(body.as_bytes()).await;
        if keep_alive {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = stream.shutdown().await;
    })
    .await;
    let client = client(&format!("http://{addr}/api/v2")).build().unwrap();
    client.list_api_keys().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let created = client.create_api_key("after-idle").await;
    println!(
        "stale pool: create after idle close -> {}; connections={} requests={}",
        match &created {
            Ok(k) => format!("ok (id {})", k.id),
            Err(e) => format!("{} {e}", e.kind()),
        },
        seen.connections(),
        seen.heads().len()
    );
    let created = created.unwrap();
    assert_eq!(created.id, 5000);
    assert_eq!(seen.connections(), 2);
    assert_eq!(
        seen.heads().len(),
        2,
        "the create should be sent exactly once"
    );
}
