//! `wagroups-sandbox`: flags, or the environment, over working defaults.

use std::process::ExitCode;

const USAGE: &str = "\
usage: wagroups-sandbox [--listen ADDR] [--access-token T] [--app-secret S] [--verify-token V]
                        [--callback URL] [--db FILE | :memory:] [--retry-base-ms N] [--free-tier N]
Each flag has an environment variable: WAGROUPS_SANDBOX_LISTEN, _ACCESS_TOKEN, _APP_SECRET,
_VERIFY_TOKEN, _CALLBACK, _DB, _RETRY_BASE_MS, _FREE_TIER.";

fn main() -> ExitCode {
    let mut config = wagroups_sandbox::Config::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == &format!("--{name}"))
            .and_then(|i| args.get(i + 1).cloned())
            .or_else(|| {
                std::env::var(format!(
                    "WAGROUPS_SANDBOX_{}",
                    name.replace('-', "_").to_uppercase()
                ))
                .ok()
            })
    };
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if let Some(v) = flag("listen") {
        match v.parse() {
            Ok(a) => config.listen = a,
            Err(_) => {
                eprintln!("wagroups-sandbox: --listen {v:?} is not an address like 127.0.0.1:8787\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    for (name, slot) in [
        ("access-token", &mut config.access_token),
        ("app-secret", &mut config.app_secret),
        ("verify-token", &mut config.verify_token),
        ("db", &mut config.db),
    ] {
        if let Some(v) = flag(name) {
            *slot = v;
        }
    }
    config.callback = flag("callback");
    if let Some(v) = flag("free-tier") {
        config.free_tier = v.parse().unwrap_or(config.free_tier);
    }
    if let Some(v) = flag("retry-base-ms") {
        config.retry_base_ms = v.parse().unwrap_or(config.retry_base_ms);
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wagroups-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match wagroups_sandbox::start(config).await {
            Ok(running) => {
                let c = &running.state.config;
                println!(
                    "wagroups-sandbox on http://{} (access token {:?}, verify token {:?}, app secret from --app-secret, callback {}, db {})",
                    running.addr,
                    c.access_token,
                    c.verify_token,
                    c.callback.as_deref().unwrap_or("none: deliveries wait"),
                    c.db
                );
                let _ = running.server.await;
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("wagroups-sandbox: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
