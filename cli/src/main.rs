//! `wagroups`: a thin command-line front over the core. Arguments in, JSON out; all logic lives
//! in the `wagroups` crate.

use std::io::{Read, Write};
use std::process::ExitCode;

use serde_json::{json, Value};
use wagroups::json_api;

const USAGE: &str = "\
usage:
  wagroups request <operation> [--params JSON | -] [--file FILE] [--version V] [--base-url URL] [--token T]
                   [--allow-unverified]   (send what Meta does not document, with warnings)
  wagroups response <operation> --status N [--header 'Name: value']... [FILE | -]
  wagroups next-page <operation> --params JSON [FILE | -]
  wagroups webhook parse [--max-bytes N] [--max-items N] [FILE | -]
  wagroups webhook verify-signature --app-secret-file F [--app-secret-file F2] --signature 'sha256=…' [FILE | -]
  wagroups webhook verify-subscription --verify-token-file F 'hub.mode=…&hub.verify_token=…&hub.challenge=…'
  wagroups picture check FILE
  wagroups media check FILE --info GET_MEDIA_REPLY.json   (downloaded bytes vs sha256 and file_size)
  wagroups state apply-events [--state STATE.json] DELIVERY.json…  (state by group id, and the changes)
  wagroups state apply-reply [--state STATE.json] --operation OP --params PARAMS.json --at SECONDS REPLY.json
  wagroups state seed-from-group-info --group-info REPLY.json --at SECONDS
  wagroups state quote-message --state STATE.json --group G --at SECONDS --template-category marketing|utility|authentication|none
  wagroups state prune --state STATE.json --at SECONDS [--keep SECONDS]   (default 30 days)
  wagroups errors [CODE]
  (Former names, kept for one release: image check, webhook verify|challenge, state apply|reply|seed|cost.)
  wagroups operations
  wagroups schema                      (JSON Schema of every output type)

Secrets: the access token comes from WAGROUPS_ACCESS_TOKEN (or --token), the app secret from
--app-secret-file or WAGROUPS_APP_SECRET, the verify token from --verify-token-file or
WAGROUPS_VERIFY_TOKEN. A secret file holds the secret alone (one trailing newline is ignored).
--token, --app-secret S and --verify-token T also work, but arguments are visible to other users
of the machine (process list) and stay in shell history.

Output is JSON on stdout. A closed stdout (`| head`) ends the command quietly.
Exit status:
  0  ok (valid signature, parsed reply, built request…)
  1  refused: invalid input, an error reply, a signature or handshake that does not check out,
     or an input file that cannot be read (a JSON error on stdout names it)
  2  usage: unknown command or option, missing argument";

/// Why a command stopped without its normal output.
enum Stop {
    /// The command line is wrong: usage text, exit 2.
    Usage(String),
    /// An input file cannot be read: a JSON error naming it, exit 1.
    Unreadable { path: String, reason: String },
    /// Whoever reads stdout went away (`| head -1`): nothing left to say, exit 0.
    ClosedOutput,
}

impl From<String> for Stop {
    fn from(usage: String) -> Self {
        Stop::Usage(usage)
    }
}

impl From<&str> for Stop {
    fn from(usage: &str) -> Self {
        Stop::Usage(usage.to_owned())
    }
}

impl From<std::io::Error> for Stop {
    /// Writing stdout is the only I/O that converts here; its failure means the reader is gone
    /// and there is nobody left to tell.
    fn from(_: std::io::Error) -> Self {
        Stop::ClosedOutput
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(Stop::Usage(usage)) => {
            eprintln!("wagroups: {usage}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Stop::Unreadable { path, reason }) => {
            let error = json!({"error": {
                "code": wagroups::Code::FileUnreadable,
                "kind": wagroups::Code::FileUnreadable.kind(),
                "retry": wagroups::Code::FileUnreadable.retry(),
                "origin": "local",
                "message": format!("cannot read {path}: {reason}"),
                "path": path,
            }});
            match print(&error) {
                Ok(()) => ExitCode::FAILURE,
                Err(_) => ExitCode::SUCCESS,
            }
        }
        Err(Stop::ClosedOutput) => ExitCode::SUCCESS,
    }
}

/// Parsed `--flag value` pairs and positional arguments.
struct Args {
    flags: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Args {
    fn parse(args: &[String], with_value: &[&str]) -> Result<Args, String> {
        Args::parse_with(args, with_value, &[])
    }

    /// `switches` are options without a value (read back as "true").
    fn parse_with(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Args, String> {
        let mut flags = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if switches.contains(&name) {
                    flags.push((name.to_owned(), "true".to_owned()));
                    continue;
                }
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

fn read_input(path: Option<&str>) -> Result<Vec<u8>, Stop> {
    let (path, read) = match path {
        None | Some("-") => {
            let mut buf = Vec::new();
            let read = std::io::stdin().read_to_end(&mut buf).map(|_| buf);
            ("-", read)
        }
        Some(p) => (p, std::fs::read(p)),
    };
    read.map_err(|e| Stop::Unreadable {
        path: if path == "-" {
            "stdin".into()
        } else {
            path.into()
        },
        reason: e.to_string(),
    })
}

/// A secret from a file: the file's text without one trailing newline.
fn read_secret_file(path: &str) -> Result<String, Stop> {
    let bytes = read_input(Some(path))?;
    let text = String::from_utf8(bytes).map_err(|_| Stop::Unreadable {
        path: path.into(),
        reason: "a secret file must be UTF-8 text".into(),
    })?;
    let text = text.strip_suffix('\n').unwrap_or(&text);
    Ok(text.strip_suffix('\r').unwrap_or(text).to_owned())
}

/// Every secret given for `name`: `--NAME-file` files, then `--NAME` arguments, else the
/// environment variable.
fn secrets(a: &Args, name: &str, env: &str) -> Result<Vec<String>, Stop> {
    let mut out = Vec::new();
    for path in a.all(&format!("{name}-file")) {
        out.push(read_secret_file(path)?);
    }
    out.extend(a.all(name).into_iter().map(str::to_owned));
    if out.is_empty() {
        out.extend(std::env::var(env).ok());
    }
    Ok(out)
}

/// Pretty JSON and a newline on stdout. An error means stdout is closed.
fn print(v: &Value) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Print `{"ok": …}`'s value, or `{"error": …}` and exit 1.
fn report(result: Result<Value, wagroups::Error>) -> Result<ExitCode, Stop> {
    match result {
        Ok(v) => {
            print(&v)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            print(&json!({ "error": e.to_json() }))?;
            Ok(ExitCode::FAILURE)
        }
    }
}

fn parse_json(text: &str, what: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{what} is not JSON: {e}"))
}

fn run(args: &[String]) -> Result<ExitCode, Stop> {
    let (cmd, rest) = args.split_first().ok_or("no command")?;
    match cmd.as_str() {
        "request" => request(rest),
        "response" => response(rest),
        "next-page" => next_page(rest),
        // `image` is the former name of `picture`, kept for one release.
        "picture" | "image" => image(rest),
        "media" => media(rest),
        "state" => state(rest),
        "webhook" => webhook(rest),
        "errors" => {
            let code = rest.first().map(String::as_str);
            match json_api::catalog_json(code) {
                Some(v) => {
                    print(&v)?;
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!("wagroups: no catalog entry {:?}", code.unwrap_or_default());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        "schema" => {
            print(&wagroups::schema::schema_document())?;
            Ok(ExitCode::SUCCESS)
        }
        "operations" => {
            print(&json_api::operations_json())?;
            Ok(ExitCode::SUCCESS)
        }
        "-h" | "--help" | "help" => {
            writeln!(std::io::stdout(), "{USAGE}")?;
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command {other:?}").into()),
    }
}

fn request(rest: &[String]) -> Result<ExitCode, Stop> {
    let a = Args::parse_with(
        rest,
        &["params", "file", "version", "base-url", "token"],
        &["allow-unverified"],
    )?;
    let (op, more) = a
        .positional
        .split_first()
        .ok_or("request needs an operation")?;
    let text = match (a.get("params"), more.first().map(String::as_str)) {
        (Some(p), None) => p.to_owned(),
        (None, Some("-")) => {
            String::from_utf8(read_input(None)?).map_err(|_| Stop::Unreadable {
                path: "stdin".into(),
                reason: "the parameters are not UTF-8".into(),
            })?
        }
        (None, None) => "{}".to_owned(),
        _ => return Err("give --params JSON or - (stdin), once".into()),
    };
    let params = parse_json(&text, "--params")?;
    // The bytes go to the core as they are (set_group_picture, upload_media).
    let file = a
        .get("file")
        .map(|path| read_input(Some(path)))
        .transpose()?;
    let mut config = serde_json::Map::new();
    if let Some(v) = a.get("version") {
        config.insert("version".into(), json!(v));
    }
    if let Some(v) = a.get("base-url") {
        config.insert("base_url".into(), json!(v));
    }
    if a.get("allow-unverified").is_some() {
        config.insert("allow_unverified".into(), json!(true));
    }
    let token = a
        .get("token")
        .map(str::to_owned)
        .or_else(|| std::env::var("WAGROUPS_ACCESS_TOKEN").ok());
    if let Some(t) = token {
        config.insert("access_token".into(), json!(t));
    }
    report(json_api::build_request_with_file_json(
        op,
        &params,
        file.as_deref(),
        &Value::Object(config),
    ))
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

fn response(rest: &[String]) -> Result<ExitCode, Stop> {
    let a = Args::parse(rest, &["status", "header"])?;
    let op = a.positional.first().ok_or("response needs an operation")?;
    let status: u16 = a
        .get("status")
        .ok_or("response needs --status N")?
        .parse()
        .map_err(|_| "--status must be an HTTP status number")?;
    let body = read_input(a.positional.get(1).map(String::as_str))?;
    report(json_api::parse_response_json(
        op,
        status,
        &headers(&a)?,
        &body,
    ))
}

fn next_page(rest: &[String]) -> Result<ExitCode, Stop> {
    let a = Args::parse(rest, &["params"])?;
    let op = a.positional.first().ok_or("next-page needs an operation")?;
    let params = parse_json(a.get("params").unwrap_or("{}"), "--params")?;
    let body = read_input(a.positional.get(1).map(String::as_str))?;
    report(json_api::next_page_json(op, &params, &body))
}

fn image(rest: &[String]) -> Result<ExitCode, Stop> {
    match rest {
        [check, file] if check == "check" => {
            let bytes = read_input(Some(file))?;
            let v = json_api::check_image_json(&bytes);
            print(&v)?;
            let valid = v.get("valid_group_picture").and_then(Value::as_bool) == Some(true);
            Ok(if valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        [check] if check == "check" => Err("picture check needs a FILE".into()),
        _ => Err("unknown picture command: picture check FILE".into()),
    }
}

/// The text of a JSON file given by path (or `-`), parsed.
fn json_file(path: &str, what: &str) -> Result<Value, Stop> {
    let bytes = read_input(Some(path))?;
    let text = String::from_utf8(bytes).map_err(|_| Stop::Unreadable {
        path: path.into(),
        reason: format!("{what} is not UTF-8"),
    })?;
    Ok(parse_json(&text, what)?)
}

fn seconds(a: &Args, name: &str) -> Result<i64, Stop> {
    let v = a.get(name).ok_or(format!("--{name} SECONDS is required"))?;
    v.parse()
        .map_err(|_| Stop::from(format!("--{name} must be Unix seconds, not {v:?}")))
}

/// `state apply|reply|seed|cost|prune`: group state folded from deliveries and replies, as JSON.
fn state(rest: &[String]) -> Result<ExitCode, Stop> {
    let (sub, rest) = rest.split_first().ok_or(
        "state needs apply-events, apply-reply, seed-from-group-info, quote-message or prune",
    )?;
    match sub.as_str() {
        // The names of the functions in every language; the short ones are the former names,
        // kept for one release.
        "apply-events" | "apply" => {
            let a = Args::parse(rest, &["state", "max-bytes", "max-items"])?;
            if a.positional.is_empty() {
                return Err("state apply-events needs at least one DELIVERY.json".into());
            }
            let states = match a.get("state") {
                Some(path) => json_file(path, "--state")?,
                None => Value::Null,
            };
            let limits = limits_of(&a)?;
            let bodies = a
                .positional
                .iter()
                .map(|p| read_input(Some(p)))
                .collect::<Result<Vec<_>, _>>()?;
            let refs: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
            report(limits.and_then(|l| json_api::apply_events_json(&states, &refs, &l)))
        }
        "apply-reply" | "reply" => {
            let a = Args::parse(rest, &["state", "operation", "params", "at"])?;
            let [reply] = a.positional.as_slice() else {
                return Err(
                    "state apply-reply needs one REPLY.json (the body of a successful reply)".into(),
                );
            };
            let states = match a.get("state") {
                Some(path) => json_file(path, "--state")?,
                None => Value::Null,
            };
            let operation = a
                .get("operation")
                .ok_or("state apply-reply needs --operation NAME")?;
            let params = json_file(
                a.get("params")
                    .ok_or("state apply-reply needs --params PARAMS.json")?,
                "--params",
            )?;
            let body = read_input(Some(reply))?;
            report(json_api::apply_reply_json(
                &states,
                operation,
                &params,
                &body,
                seconds(&a, "at")?,
            ))
        }
        "seed-from-group-info" | "seed" => {
            let a = Args::parse(rest, &["group-info", "at"])?;
            let path = a
                .get("group-info")
                .ok_or("state seed-from-group-info needs --group-info REPLY.json")?;
            let reply = read_input(Some(path))?;
            report(json_api::seed_from_group_info_json(
                &reply,
                seconds(&a, "at")?,
            ))
        }
        "quote-message" | "cost" => {
            let a = Args::parse(rest, &["state", "group", "at", "template-category"])?;
            let states = json_file(
                a.get("state").ok_or("state quote-message needs --state FILE")?,
                "--state",
            )?;
            let group = a.get("group").ok_or("state quote-message needs --group GROUP_ID")?;
            let category = a.get("template-category").unwrap_or("none");
            let state = states.get(group).cloned().unwrap_or(Value::Null);
            if state.is_null() {
                return Err(format!("no state for group {group:?} in the --state file").into());
            }
            report(json_api::quote_message_json(
                &state,
                seconds(&a, "at")?,
                category,
            ))
        }
        "prune" => {
            let a = Args::parse(rest, &["state", "at", "keep"])?;
            let states = json_file(
                a.get("state").ok_or("state prune needs --state FILE")?,
                "--state",
            )?;
            let now = seconds(&a, "at")?;
            let keep = a.get("keep").map(|_| seconds(&a, "keep")).transpose()?;
            let mut out = serde_json::Map::new();
            for (gid, s) in states.as_object().into_iter().flatten() {
                match json_api::prune_json(s, now, keep) {
                    Ok(v) => {
                        out.insert(gid.clone(), v);
                    }
                    Err(e) => return report(Err(e)),
                }
            }
            report(Ok(Value::Object(out)))
        }
        other => Err(
            format!("unknown state command {other:?}: apply-events, apply-reply, seed-from-group-info, quote-message or prune").into(),
        ),
    }
}

/// `media check FILE --info GET_MEDIA_REPLY.json`: the downloaded bytes against what
/// `get_media` announced.
fn media(rest: &[String]) -> Result<ExitCode, Stop> {
    let a = Args::parse(rest, &["info"])?;
    match a.positional.as_slice() {
        [check, file] if check == "check" => {
            let info_path = a.get("info").ok_or("media check needs --info FILE")?;
            let info_bytes = read_input(Some(info_path))?;
            let info_text = String::from_utf8(info_bytes).map_err(|_| Stop::Unreadable {
                path: info_path.into(),
                reason: "the get_media reply is not UTF-8".into(),
            })?;
            let info = parse_json(&info_text, "--info")?;
            let bytes = read_input(Some(file))?;
            report(json_api::check_media_download_json(&bytes, &info))
        }
        _ => Err("usage: wagroups media check FILE --info GET_MEDIA_REPLY.json".into()),
    }
}

/// `--max-bytes` and `--max-items`, checked by the core.
fn limits_of(a: &Args) -> Result<Result<wagroups::webhook::WebhookLimits, wagroups::Error>, Stop> {
    let mut given = [None, None];
    for (flag, slot) in ["max-bytes", "max-items"].iter().zip(&mut given) {
        if let Some(v) = a.get(flag) {
            *slot = Some(
                v.parse::<i64>()
                    .map_err(|_| format!("--{flag} must be a positive integer"))?,
            );
        }
    }
    Ok(wagroups::webhook::WebhookLimits::new(given[0], given[1]).map_err(Into::into))
}

fn webhook(rest: &[String]) -> Result<ExitCode, Stop> {
    let (sub, rest) = rest
        .split_first()
        .ok_or("webhook needs parse, verify-signature or verify-subscription")?;
    match sub.as_str() {
        "parse" | "parse-webhook" => {
            let a = Args::parse(rest, &["max-bytes", "max-items"])?;
            let limits = limits_of(&a)?;
            let body = read_input(a.positional.first().map(String::as_str))?;
            report(limits.and_then(|limits| json_api::parse_webhook_json(&body, &limits)))
        }
        "verify-signature" | "verify" => {
            let a = Args::parse(rest, &["app-secret", "app-secret-file", "signature"])?;
            let secrets = secrets(&a, "app-secret", "WAGROUPS_APP_SECRET")?;
            let body = read_input(a.positional.first().map(String::as_str))?;
            match json_api::verify_signature_json(&body, a.get("signature"), &secrets) {
                Ok(_) => {
                    print(&json!({"valid": true}))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    print(&json!({"valid": false, "error": e.to_json()}))?;
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        "verify-subscription" | "challenge" => {
            let a = Args::parse(rest, &["verify-token", "verify-token-file"])?;
            let tokens = secrets(&a, "verify-token", "WAGROUPS_VERIFY_TOKEN")?;
            let token = match tokens.as_slice() {
                [one] => one.as_str(),
                [] => {
                    return Err(
                        "challenge needs --verify-token-file or WAGROUPS_VERIFY_TOKEN".into(),
                    )
                }
                _ => return Err("give the verify token once".into()),
            };
            let query = a
                .positional
                .first()
                .ok_or("challenge needs the query string")?;
            match json_api::verify_subscription_json(query, token) {
                Ok(Value::String(challenge)) => {
                    writeln!(std::io::stdout(), "{challenge}")?;
                    Ok(ExitCode::SUCCESS)
                }
                Ok(_) => Ok(ExitCode::FAILURE),
                Err(e) => {
                    print(&json!({ "error": e.to_json() }))?;
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        other => Err(format!("unknown webhook command {other:?}").into()),
    }
}
