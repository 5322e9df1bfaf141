//! `neon-api-keys-emulator [--listen 127.0.0.1:0 | --port N --host 127.0.0.1] [--no-rate-limits]
//! [--personal-api-key K] [--org-api-key K] [--project-api-key K] [--org-id ID] [--project-id ID]
//! [--clock-offset-ms N] [--name-conflict-status 400|409|422] [--exit-on-stdin-close]`
//!
//! Prints one JSON line `{"base_url","personal_api_key","org_id","org_api_key","project_id",
//! "project_api_key","control_url","seed":{...}}` on stdout, then serves until SIGTERM or SIGINT (or, with
//! `--exit-on-stdin-close`, until stdin reaches end of file). The key and id options replace the seeded
//! admin personal key, org key, project key, org id and project id.

use std::io::Write;
use std::process::ExitCode;

use neon_api_keys_emulator::{Emulator, EmulatorConfig};

const USAGE: &str = "usage: neon-api-keys-emulator [--listen ADDR:PORT | --port N --host ADDR] [--no-rate-limits]
       [--personal-api-key K] [--org-api-key K] [--project-api-key K] [--org-id ID] [--project-id ID]
       [--clock-offset-ms N] [--name-conflict-status 400|409|422] [--exit-on-stdin-close]";

struct Args {
    config: EmulatorConfig,
    exit_on_stdin_close: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut config = EmulatorConfig::default();
    let mut exit_on_stdin_close = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                let v = value("--port")?;
                config.port = Some(v.parse().map_err(|_| format!("--port: bad port {v:?}"))?);
            }
            "--host" => config.host = value("--host")?,
            "--listen" => {
                let v = value("--listen")?;
                let addr: std::net::SocketAddr = v
                    .parse()
                    .map_err(|_| format!("--listen: expected ADDR:PORT, got {v:?}"))?;
                config.host = addr.ip().to_string();
                config.port = Some(addr.port());
            }
            "--personal-api-key" => config.seed.keys.admin = value("--personal-api-key")?,
            "--org-api-key" => config.seed.keys.org = value("--org-api-key")?,
            "--project-api-key" => config.seed.keys.project = value("--project-api-key")?,
            "--org-id" => config.seed.org_id = value("--org-id")?,
            "--project-id" => config.seed.project_id = value("--project-id")?,
            "--no-rate-limits" => config.rate_limits = false,
            "--clock-offset-ms" => {
                let v = value("--clock-offset-ms")?;
                config.clock_offset_ms = v
                    .parse()
                    .map_err(|_| format!("--clock-offset-ms: not an integer: {v:?}"))?;
            }
            "--name-conflict-status" => {
                let v = value("--name-conflict-status")?;
                config.name_conflict_status = match v.as_str() {
                    "400" => 400,
                    "409" => 409,
                    "422" => 422,
                    _ => {
                        return Err(format!(
                            "--name-conflict-status: 400, 409 or 422, not {v:?}"
                        ))
                    }
                };
            }
            "--exit-on-stdin-close" => exit_on_stdin_close = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(Args {
        config,
        exit_on_stdin_close,
    }))
}

/// Waits for SIGTERM, SIGINT or (if asked) end of stdin. The signal handlers are installed by this
/// function itself, before it returns the future, so no signal is lost once it has been called.
fn stop_signal(exit_on_stdin_close: bool) -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let term = signal(SignalKind::terminate()).ok();
    let int = signal(SignalKind::interrupt()).ok();
    let stdin_closed = if exit_on_stdin_close {
        // Reads block, so a plain thread reads and discards stdin until EOF.
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            let mut stdin = std::io::stdin();
            while let Ok(n) = std::io::Read::read(&mut stdin, &mut buf) {
                if n == 0 {
                    break;
                }
            }
            let _ = tx.send(());
        });
        Some(rx)
    } else {
        None
    };
    async move {
        async fn recv(s: Option<tokio::signal::unix::Signal>) {
            match s {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending().await,
            }
        }
        async fn closed(rx: Option<tokio::sync::oneshot::Receiver<()>>) {
            match rx {
                Some(rx) => {
                    let _ = rx.await;
                }
                None => std::future::pending().await,
            }
        }
        tokio::select! {
            _ = recv(term) => {}
            _ = recv(int) => {}
            _ = closed(stdin_closed) => {}
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("neon-api-keys-emulator: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("neon-api-keys-emulator: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        // Install the signal handlers before announcing readiness, so an early SIGTERM is not lost.
        let stop = stop_signal(args.exit_on_stdin_close);
        let emulator = match Emulator::spawn(args.config) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("neon-api-keys-emulator: cannot start: {e}");
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{}", emulator.startup_json())
            .and_then(|()| out.flush())
            .is_err()
        {
            eprintln!("neon-api-keys-emulator: cannot write to stdout");
        }
        drop(out);
        stop.await;
        drop(emulator);
        ExitCode::SUCCESS
    })
}
