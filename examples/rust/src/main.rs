//! `cargo run -p wagroups-example -- [GRAPH_BASE_URL] [TOKEN] [PHONE_NUMBER_ID]`: the story
//! against a running sandbox (`make sandbox`); people join through its console meanwhile.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args.first().map_or("http://127.0.0.1:8787", String::as_str);
    let token = args.get(1).map_or("sandbox-token", String::as_str);
    let phone = args.get(2).map_or("427119830566204", String::as_str);
    let ask = |link: String| async move {
        println!("open the sandbox console and join with {link}; waiting 20 s…");
        tokio::time::sleep(std::time::Duration::from_secs(20)).await;
    };
    match wagroups_example::play(base, token, phone, ask).await {
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
