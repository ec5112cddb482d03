//! `wagroups`: a thin command-line front over the core. Arguments in, JSON out; all logic lives
//! in the `wagroups` crate.

use std::io::Read;
use std::process::ExitCode;

use base64::Engine;
use serde_json::{json, Value};
use wagroups::json_api;

const USAGE: &str = "\
usage:
  wagroups request <operation> [--params JSON | -] [--file PICTURE] [--version V] [--base-url URL] [--token T]
  wagroups response <operation> --status N [--header 'Name: value']... [FILE | -]
  wagroups next-page <operation> --params JSON [FILE | -]
  wagroups webhook parse [FILE | -]
  wagroups webhook verify --app-secret S [--app-secret S2] --signature 'sha256=…' [FILE | -]
  wagroups webhook challenge --verify-token T 'hub.mode=…&hub.verify_token=…&hub.challenge=…'
  wagroups image check FILE
  wagroups errors [CODE]
  wagroups operations
  wagroups schema                      (JSON Schema of every output type)

The access token may also come from WAGROUPS_ACCESS_TOKEN. Output is JSON on stdout.
Exit status: 0 ok, 1 invalid input or an error reply, 2 usage.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(usage) => {
            eprintln!("wagroups: {usage}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Parsed `--flag value` pairs and positional arguments.
struct Args {
    flags: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Args {
    fn parse(args: &[String], with_value: &[&str]) -> Result<Args, String> {
        let mut flags = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if !with_value.contains(&name) {
                    return Err(format!("unknown option --{name}"));
                }
                let v = it.next().ok_or(format!("--{name} needs a value"))?;
                flags.push((name.to_owned(), v.clone()));
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args { flags, positional })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn read_input(path: Option<&str>) -> Result<Vec<u8>, String> {
    match path {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("reading stdin: {e}"))?;
            Ok(buf)
        }
        Some(p) => std::fs::read(p).map_err(|e| format!("reading {p}: {e}")),
    }
}

fn print(v: &Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

/// Print `{"ok": …}`'s value, or `{"error": …}` and exit 1.
fn report(result: Result<Value, wagroups::Error>) -> ExitCode {
    match result {
        Ok(v) => {
            print(&v);
            ExitCode::SUCCESS
        }
        Err(e) => {
            print(&json!({ "error": e.to_json() }));
            ExitCode::FAILURE
        }
    }
}

fn parse_json(text: &str, what: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{what} is not JSON: {e}"))
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let (cmd, rest) = args.split_first().ok_or("no command")?;
    match cmd.as_str() {
        "request" => request(rest),
        "response" => response(rest),
        "next-page" => next_page(rest),
        "image" => image(rest),
        "webhook" => webhook(rest),
        "errors" => {
            let code = rest.first().map(String::as_str);
            match json_api::catalog_json(code) {
                Some(v) => {
                    print(&v);
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!("wagroups: no catalog entry {:?}", code.unwrap_or_default());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        "schema" => {
            print(&wagroups::schema::schema_document());
            Ok(ExitCode::SUCCESS)
        }
        "operations" => {
            print(&json_api::operations_json());
            Ok(ExitCode::SUCCESS)
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command {other:?}")),
    }
}

fn request(rest: &[String]) -> Result<ExitCode, String> {
    let a = Args::parse(rest, &["params", "file", "version", "base-url", "token"])?;
    let (op, more) = a
        .positional
        .split_first()
        .ok_or("request needs an operation")?;
    let text = match (a.get("params"), more.first().map(String::as_str)) {
        (Some(p), None) => p.to_owned(),
        (None, Some("-")) => {
            String::from_utf8(read_input(None)?).map_err(|_| "stdin is not UTF-8")?
        }
        (None, None) => "{}".to_owned(),
        _ => return Err("give --params JSON or - (stdin), once".into()),
    };
    let mut params = parse_json(&text, "--params")?;
    if let Some(path) = a.get("file") {
        let bytes = read_input(Some(path))?;
        if let Some(obj) = params.as_object_mut() {
            obj.insert(
                "file".into(),
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
            );
        }
    }
    let mut config = serde_json::Map::new();
    if let Some(v) = a.get("version") {
        config.insert("version".into(), json!(v));
    }
    if let Some(v) = a.get("base-url") {
        config.insert("base_url".into(), json!(v));
    }
    let token = a
        .get("token")
        .map(str::to_owned)
        .or_else(|| std::env::var("WAGROUPS_ACCESS_TOKEN").ok());
    if let Some(t) = token {
        config.insert("access_token".into(), json!(t));
    }
    Ok(report(json_api::build_request_json(
        op,
        &params,
        &Value::Object(config),
    )))
}

fn headers(a: &Args) -> Result<Vec<(String, String)>, String> {
    a.all("header")
        .into_iter()
        .map(|h| {
            h.split_once(':')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| format!("--header {h:?} is not 'Name: value'"))
        })
        .collect()
}

fn response(rest: &[String]) -> Result<ExitCode, String> {
    let a = Args::parse(rest, &["status", "header"])?;
    let op = a.positional.first().ok_or("response needs an operation")?;
    let status: u16 = a
        .get("status")
        .ok_or("response needs --status N")?
        .parse()
        .map_err(|_| "--status must be an HTTP status number")?;
    let body = read_input(a.positional.get(1).map(String::as_str))?;
    Ok(report(json_api::parse_response_json(
        op,
        status,
        &headers(&a)?,
        &body,
    )))
}

fn next_page(rest: &[String]) -> Result<ExitCode, String> {
    let a = Args::parse(rest, &["params"])?;
    let op = a.positional.first().ok_or("next-page needs an operation")?;
    let params = parse_json(a.get("params").unwrap_or("{}"), "--params")?;
    let body = read_input(a.positional.get(1).map(String::as_str))?;
    Ok(report(json_api::next_page_json(op, &params, &body)))
}

fn image(rest: &[String]) -> Result<ExitCode, String> {
    match rest {
        [check, file] if check == "check" => {
            let bytes = read_input(Some(file))?;
            let v = json_api::check_image_json(&bytes);
            print(&v);
            let valid = v.get("valid_group_picture").and_then(Value::as_bool) == Some(true);
            Ok(if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        _ => Err("usage: wagroups image check FILE".into()),
    }
}

fn webhook(rest: &[String]) -> Result<ExitCode, String> {
    let (sub, rest) = rest
        .split_first()
        .ok_or("webhook needs parse, verify or challenge")?;
    match sub.as_str() {
        "parse" => {
            let a = Args::parse(rest, &[])?;
            let body = read_input(a.positional.first().map(String::as_str))?;
            Ok(report(json_api::parse_webhook_json(&body)))
        }
        "verify" => {
            let a = Args::parse(rest, &["app-secret", "signature"])?;
            let secrets: Vec<String> = a.all("app-secret").into_iter().map(str::to_owned).collect();
            let body = read_input(a.positional.first().map(String::as_str))?;
            match json_api::verify_signature_json(&body, a.get("signature"), &secrets) {
                Ok(_) => {
                    print(&json!({"valid": true}));
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    print(&json!({"valid": false, "error": e.to_json()}));
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        "challenge" => {
            let a = Args::parse(rest, &["verify-token"])?;
            let token = a
                .get("verify-token")
                .ok_or("challenge needs --verify-token")?;
            let query = a
                .positional
                .first()
                .ok_or("challenge needs the query string")?;
            match json_api::verify_subscription_json(query, token) {
                Ok(Value::String(challenge)) => {
                    println!("{challenge}");
                    Ok(ExitCode::SUCCESS)
                }
                Ok(_) => Ok(ExitCode::FAILURE),
                Err(e) => {
                    print(&json!({ "error": e.to_json() }));
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        other => Err(format!("unknown webhook command {other:?}")),
    }
}
