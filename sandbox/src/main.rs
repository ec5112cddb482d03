//! `wagroups-sandbox`: flags, or the environment, over working defaults. A flag it does not
//! know, or a value it cannot read, stops it with exit code 2 (never a silent default).

use std::process::ExitCode;

const USAGE: &str = "\
usage: wagroups-sandbox [--listen ADDR] [--public] [--access-token T] [--app-secret S]
                        [--verify-token V] [--callback URL] [--db FILE | :memory:]
                        [--retry-base-ms N] [--retry-for-ms N] [--free-tier N]
                        [--create-delay-ms N] [--template NAME=CATEGORY]...
                        [--chaos off|duplicate|shuffle]
Each flag has an environment variable: WAGROUPS_SANDBOX_LISTEN, _PUBLIC, _ACCESS_TOKEN,
_APP_SECRET, _VERIFY_TOKEN, _CALLBACK, _DB, _RETRY_BASE_MS, _RETRY_FOR_MS, _FREE_TIER,
_CREATE_DELAY_MS, _TEMPLATE (NAME=CATEGORY,NAME=CATEGORY), _CHAOS.
--public is needed to listen beyond loopback, with an access token of your own.";

/// Flags that take a value, and the one that does not.
const VALUED: [&str; 13] = [
    "listen",
    "access-token",
    "app-secret",
    "verify-token",
    "callback",
    "db",
    "retry-base-ms",
    "retry-for-ms",
    "free-tier",
    "create-delay-ms",
    "template",
    "max-groups",
    "chaos",
];

fn env_name(flag: &str) -> String {
    format!("WAGROUPS_SANDBOX_{}", flag.replace('-', "_").to_uppercase())
}

/// Flags as given (a repeated one keeps every value), each checked to be known.
fn parse(args: &[String]) -> Result<(Vec<(String, String)>, bool), String> {
    let mut values = Vec::new();
    let mut public = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let name = arg
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {arg:?}"))?;
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (name, None),
        };
        if name == "public" && inline.is_none() {
            public = true;
        } else if VALUED.contains(&name) {
            let value = match inline {
                Some(v) => v,
                None => {
                    i += 1;
                    args.get(i)
                        .cloned()
                        .ok_or_else(|| format!("--{name} needs a value"))?
                }
            };
            values.push((name.to_owned(), value));
        } else {
            return Err(format!("unknown flag --{name}"));
        }
        i += 1;
    }
    Ok((values, public))
}

fn number(name: &str, v: &str, min: i64) -> Result<i64, String> {
    v.parse::<i64>()
        .ok()
        .filter(|n| *n >= min)
        .ok_or_else(|| format!("--{name} {v:?} is not a whole number of at least {min}"))
}

fn configure() -> Result<(wagroups_sandbox::Config, bool), String> {
    let mut config = wagroups_sandbox::Config::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (given, public) = parse(&args)?;
    let value = |name: &str| -> Option<String> {
        given
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var(env_name(name)).ok())
    };
    if let Some(v) = value("listen") {
        config.listen = v
            .parse()
            .map_err(|_| format!("--listen {v:?} is not an address like 127.0.0.1:8787"))?;
    }
    let token_given = value("access-token").is_some();
    for (name, slot) in [
        ("access-token", &mut config.access_token),
        ("app-secret", &mut config.app_secret),
        ("verify-token", &mut config.verify_token),
        ("db", &mut config.db),
    ] {
        if let Some(v) = value(name) {
            if v.is_empty() {
                return Err(format!("--{name} is empty"));
            }
            *slot = v;
        }
    }
    config.callback = value("callback");
    if let Some(c) = &config.callback {
        if !(c.starts_with("http://") || c.starts_with("https://")) {
            return Err(format!(
                "--callback {c:?} is not an http:// or https:// URL"
            ));
        }
    }
    for (name, slot, min) in [
        ("free-tier", &mut config.free_tier, 0),
        ("retry-base-ms", &mut config.retry_base_ms, 1),
        ("retry-for-ms", &mut config.retry_for_ms, 0),
        ("create-delay-ms", &mut config.create_delay_ms, 0),
    ] {
        if let Some(v) = value(name) {
            *slot = number(name, &v, min)?;
        }
    }
    if let Some(v) = value("max-groups") {
        config.max_groups = usize::try_from(number("max-groups", &v, 1)?).unwrap_or(usize::MAX);
    }
    let mut templates: Vec<String> = given
        .iter()
        .filter(|(n, _)| n == "template")
        .map(|(_, v)| v.clone())
        .collect();
    if templates.is_empty() {
        if let Ok(v) = std::env::var(env_name("template")) {
            templates = v.split(',').map(str::to_owned).collect();
        }
    }
    for t in templates {
        let kind = t
            .split_once('=')
            .and_then(|(n, c)| Some((n, wagroups_sandbox::TemplateKind::parse(c)?)))
            .filter(|(n, _)| !n.is_empty());
        let Some((name, kind)) = kind else {
            return Err(format!(
                "--template {t:?} is not NAME=marketing|utility|authentication"
            ));
        };
        config.templates.push((name.to_owned(), kind));
    }
    if let Some(v) = value("chaos") {
        config.chaos = wagroups_sandbox::Chaos::parse(&v)
            .ok_or_else(|| format!("--chaos {v:?} is not off, duplicate or shuffle"))?;
    }
    config.public =
        public || std::env::var(env_name("public")).is_ok_and(|v| !v.is_empty() && v != "0");
    Ok((config, token_given))
}

fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (config, token_given) = match configure() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("wagroups-sandbox: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
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
                // A token of your own is never printed; the default one is no secret.
                let token = if token_given {
                    "given with --access-token".to_owned()
                } else {
                    format!("{:?} (the default)", c.access_token)
                };
                println!(
                    "wagroups-sandbox on http://{} (access token {token}, verify token {:?}, app secret from --app-secret, phone number id any, callback {}, db {}, groups created after {} ms)",
                    running.addr,
                    c.verify_token,
                    c.callback.as_deref().unwrap_or("none: deliveries wait"),
                    c.db,
                    c.create_delay_ms,
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
