//! `cargo run -p wagroups-example -- [GRAPH_BASE_URL] [TOKEN] [PHONE_NUMBER_ID] [LISTEN]`: the
//! story against a running sandbox (`make sandbox SANDBOX_ARGS="--callback
//! http://127.0.0.1:8788/webhook"`, started after this prints its endpoint); people join through
//! the sandbox's console meanwhile. `WAGROUPS_APP_SECRET` and `WAGROUPS_VERIFY_TOKEN` default to
//! the sandbox's own defaults.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args.first().map_or("http://127.0.0.1:8787", String::as_str);
    let token = args.get(1).map_or("sandbox-token", String::as_str);
    let phone = args.get(2).map_or("427119830566204", String::as_str);
    let listen = args.get(3).map_or("127.0.0.1:8788", String::as_str);
    let secret = std::env::var("WAGROUPS_APP_SECRET").unwrap_or_else(|_| "sandbox-secret".into());
    let verify = std::env::var("WAGROUPS_VERIFY_TOKEN").unwrap_or_else(|_| "sandbox-verify".into());
    let hooks = match listen.parse() {
        Ok(addr) => wagroups_example::Webhooks::listen(addr, &secret, &verify).await,
        Err(_) => Err(format!("{listen:?} is not an address like 127.0.0.1:8788")),
    };
    let (hooks, url) = match hooks {
        Ok(h) => h,
        Err(e) => {
            eprintln!("wagroups-example: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "webhooks at {url}: start the sandbox with --callback {url}; press Enter when it runs"
    );
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    let ask = |link: String| async move {
        println!("open the sandbox console and join with {link}; waiting 20 s…");
        tokio::time::sleep(std::time::Duration::from_secs(20)).await;
    };
    match wagroups_example::play(base, token, phone, &hooks, ask).await {
        Ok(story) => {
            for line in story.transcript {
                println!("{line}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wagroups-example: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
