//! `wagroups._native`: each function converts its input, calls one function of the core's JSON
//! surface, converts the output and maps the error to the exception classes defined in
//! `wagroups._errors`. No logic lives here.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};
use wagroups::json_api;

// ---- Python → JSON ----

/// Why a Python value could not become JSON: a Python error, or nesting deeper than the core
/// accepts (the path is collected while unwinding, innermost segment first).
enum Unconvertible {
    Py(PyErr),
    TooDeep(Vec<String>),
}

impl From<PyErr> for Unconvertible {
    fn from(e: PyErr) -> Self {
        Unconvertible::Py(e)
    }
}

/// A parameter structure as JSON. Containers nested deeper than the core's limit (or a
/// structure that contains itself) raise `ValidationError` with code `too_deep`, before the
/// recursion can exhaust the native stack.
fn to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_json_at(obj, 1).map_err(|e| match e {
        Unconvertible::Py(e) => e,
        Unconvertible::TooDeep(segments) => {
            let path: String = segments.iter().rev().fold(String::new(), |mut path, seg| {
                if !path.is_empty() && !seg.starts_with('[') {
                    path.push('.');
                }
                path.push_str(seg);
                path
            });
            let error = wagroups::Error::Validation(wagroups::params_too_deep(path));
            raise(obj.py(), &error)
        }
    })
}

fn nested(
    segment: impl FnOnce() -> String,
    result: Result<Value, Unconvertible>,
) -> Result<Value, Unconvertible> {
    result.map_err(|e| match e {
        Unconvertible::TooDeep(mut segments) => {
            segments.push(segment());
            Unconvertible::TooDeep(segments)
        }
        other => other,
    })
}

fn to_json_at(obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, Unconvertible> {
    let is_container = obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>();
    if is_container && depth > wagroups::MAX_PARAMS_DEPTH {
        return Err(Unconvertible::TooDeep(Vec::new()));
    }
    if obj.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            Ok(Value::from(i))
        } else if let Ok(u) = obj.extract::<u64>() {
            Ok(Value::from(u))
        } else {
            Err(PyValueError::new_err("integer out of range for JSON (more than 64 bits)").into())
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err("NaN and infinity are not JSON").into())
    } else if let Ok(s) = obj.cast::<PyString>() {
        Ok(Value::String(s.to_cow()?.into_owned()))
    } else if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = Map::new();
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("mapping keys must be str"))?
                .to_cow()?
                .into_owned();
            let value = nested(|| key.clone(), to_json_at(&v, depth + 1))?;
            m.insert(key, value);
        }
        Ok(Value::Object(m))
    } else if let Ok(l) = obj.cast::<PyList>() {
        let mut items = Vec::with_capacity(l.len());
        for (i, v) in l.iter().enumerate() {
            items.push(nested(|| format!("[{i}]"), to_json_at(&v, depth + 1))?);
        }
        Ok(Value::Array(items))
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        let mut items = Vec::with_capacity(t.len());
        for (i, v) in t.iter().enumerate() {
            items.push(nested(|| format!("[{i}]"), to_json_at(&v, depth + 1))?);
        }
        Ok(Value::Array(items))
    } else {
        Err(PyTypeError::new_err(format!(
            "cannot pass a {} as JSON; use dict, list, str, int, float, bool or None",
            obj.get_type().name()?
        ))
        .into())
    }
}

// ---- JSON → Python ----

fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for item in a {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(m) => {
            let dict = PyDict::new(py);
            for (k, item) in m {
                dict.set_item(k, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// The exception class of the `wagroups._errors` hierarchy for a core error.
fn raise(py: Python<'_>, e: &wagroups::Error) -> PyErr {
    let class = e.class_name();
    let build = || -> PyResult<PyErr> {
        let info = to_py(py, &e.to_json())?;
        let cls = py.import("wagroups._errors")?.getattr(class)?;
        Ok(PyErr::from_value(cls.call1((e.to_string(), info))?))
    };
    build().unwrap_or_else(|err| err)
}

fn out(py: Python<'_>, r: Result<Value, wagroups::Error>) -> PyResult<Py<PyAny>> {
    match r {
        Ok(v) => Ok(to_py(py, &v)?.unbind()),
        Err(e) => Err(raise(py, &e)),
    }
}

/// `bytes` as is, `str` as its UTF-8 bytes.
fn bytes_of(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        Ok(b.as_bytes().to_vec())
    } else if let Ok(s) = obj.cast::<PyString>() {
        Ok(s.to_cow()?.as_bytes().to_vec())
    } else if let Ok(v) = obj.extract::<Vec<u8>>() {
        Ok(v)
    } else {
        Err(PyTypeError::new_err("expected bytes or str"))
    }
}

/// Headers (or query pairs) as a mapping or an iterable of (name, value) pairs.
fn headers_of(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    let items = match obj.call_method0("items") {
        Ok(items) => items,
        Err(_) => obj.clone(),
    };
    items
        .try_iter()?
        .map(|pair| {
            let pair = pair?;
            match pair.extract::<(String, String)>() {
                Ok(p) => Ok(p),
                Err(_) => match pair.extract::<Vec<String>>()?.as_slice() {
                    [k, v] => Ok((k.clone(), v.clone())),
                    _ => Err(PyTypeError::new_err("expected (name, value) pairs")),
                },
            }
        })
        .collect()
}

#[pyfunction]
#[pyo3(signature = (operation, params, config = None, file = None))]
fn build_request(
    py: Python<'_>,
    operation: &str,
    params: &Bound<'_, PyAny>,
    config: Option<&Bound<'_, PyAny>>,
    file: Option<&[u8]>,
) -> PyResult<Py<PyAny>> {
    let params = to_json(params)?;
    let config = config
        .map(to_json)
        .transpose()?
        .unwrap_or(Value::Object(Map::new()));
    out(
        py,
        json_api::build_request_with_file_json(operation, &params, file, &config),
    )
}

/// Keyword arguments for `httpx` (`client="httpx"`: `content=`) or `requests`
/// (`client="requests"`: `data=`): `method`, `url`, `headers` and the body as `bytes` (a
/// DELETE body included; `httpx.delete()` cannot send one, `client.request(**args)` can).
#[pyfunction]
#[pyo3(signature = (request, client = "httpx"))]
fn http_args<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    client: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let body_key = match client {
        "httpx" => "content",
        "requests" => "data",
        other => {
            return Err(PyValueError::new_err(format!(
                "client must be \"httpx\" or \"requests\", not {other:?}"
            )))
        }
    };
    let request = wagroups::Request::from_json(&to_json(request)?)
        .map_err(|e| raise(py, &wagroups::Error::from(e)))?;
    let args = PyDict::new(py);
    args.set_item("method", request.method.as_str())?;
    args.set_item("url", &request.url)?;
    let headers = PyDict::new(py);
    for (k, v) in &request.headers {
        headers.set_item(k, v)?;
    }
    args.set_item("headers", headers)?;
    let body = request.body.as_bytes();
    if !matches!(request.body, wagroups::Body::Empty) {
        args.set_item(body_key, PyBytes::new(py, body))?;
    }
    Ok(args)
}

/// Group states (a mapping group id → state, or None) folded with the events of one delivery or
/// several (the same bytes that were verified and parsed).
#[pyfunction]
#[pyo3(signature = (states, delivery, *, max_bytes = None, max_items = None))]
fn apply_events(
    py: Python<'_>,
    states: &Bound<'_, PyAny>,
    delivery: &Bound<'_, PyAny>,
    max_bytes: Option<u64>,
    max_items: Option<u64>,
) -> PyResult<Py<PyAny>> {
    let states = to_json(states)?;
    let bodies: Vec<Vec<u8>> =
        if delivery.cast::<PyList>().is_ok() || delivery.cast::<PyTuple>().is_ok() {
            delivery
                .try_iter()?
                .map(|d| bytes_of(&d?))
                .collect::<PyResult<_>>()?
        } else {
            vec![bytes_of(delivery)?]
        };
    let mut limits = Map::new();
    if let Some(n) = max_bytes {
        limits.insert("max_bytes".into(), Value::from(n));
    }
    if let Some(n) = max_items {
        limits.insert("max_items".into(), Value::from(n));
    }
    let limits = json_api::webhook_limits_from_json(&Value::Object(limits));
    let refs: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
    let result = py.detach(|| limits.and_then(|l| json_api::apply_events_json(&states, &refs, &l)));
    out(py, result)
}

/// Group states folded with the successful reply (its body) of one of the business's calls,
/// made with `params`, received at `at` (Unix seconds).
#[pyfunction]
fn apply_reply(
    py: Python<'_>,
    states: &Bound<'_, PyAny>,
    operation: &str,
    params: &Bound<'_, PyAny>,
    reply: &Bound<'_, PyAny>,
    at: i64,
) -> PyResult<Py<PyAny>> {
    let states = to_json(states)?;
    let params = to_json(params)?;
    let reply = bytes_of(reply)?;
    out(
        py,
        json_api::apply_reply_json(&states, operation, &params, &reply, at),
    )
}

#[pyfunction]
fn seed_from_group_info(
    py: Python<'_>,
    reply: &Bound<'_, PyAny>,
    read_at: i64,
) -> PyResult<Py<PyAny>> {
    let reply = bytes_of(reply)?;
    out(py, json_api::seed_from_group_info_json(&reply, read_at))
}

#[pyfunction]
#[pyo3(signature = (state, now, template_category = "none"))]
fn quote_message(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    now: i64,
    template_category: &str,
) -> PyResult<Py<PyAny>> {
    let state = to_json(state)?;
    out(
        py,
        json_api::quote_message_json(&state, now, template_category),
    )
}

#[pyfunction]
#[pyo3(signature = (state, now, keep = None))]
fn prune(
    py: Python<'_>,
    state: &Bound<'_, PyAny>,
    now: i64,
    keep: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let state = to_json(state)?;
    out(py, json_api::prune_json(&state, now, keep))
}

#[pyfunction]
fn check_media_download(
    py: Python<'_>,
    data: &[u8],
    info: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let info = to_json(info)?;
    out(py, json_api::check_media_download_json(data, &info))
}

#[pyfunction]
#[pyo3(signature = (group_id, file, filename = None, boundary = None, config = None))]
fn build_set_group_picture(
    py: Python<'_>,
    group_id: &str,
    file: &[u8],
    filename: Option<&str>,
    boundary: Option<&str>,
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let config = config
        .map(to_json)
        .transpose()?
        .unwrap_or(Value::Object(Map::new()));
    out(
        py,
        json_api::build_set_group_picture_json(group_id, file, filename, boundary, &config),
    )
}

#[pyfunction]
#[pyo3(signature = (operation, status, body, headers = None))]
fn parse_response(
    py: Python<'_>,
    operation: &str,
    status: u16,
    body: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let body = bytes_of(body)?;
    let headers = headers_of(headers)?;
    out(
        py,
        json_api::parse_response_json(operation, status, &headers, &body),
    )
}

#[pyfunction]
fn next_page_params(
    py: Python<'_>,
    operation: &str,
    params: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let params = to_json(params)?;
    out(
        py,
        json_api::next_page_json(operation, &params, &bytes_of(body)?),
    )
}

/// `max_bytes` / `max_items` as the core's limits (each a positive integer when given).
fn webhook_limits(
    py: Python<'_>,
    max_bytes: Option<i64>,
    max_items: Option<i64>,
) -> PyResult<wagroups::webhook::WebhookLimits> {
    wagroups::webhook::WebhookLimits::new(max_bytes, max_items).map_err(|e| raise(py, &e.into()))
}

#[pyfunction]
#[pyo3(signature = (body, *, max_bytes = None, max_items = None))]
fn parse_webhook(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    max_bytes: Option<i64>,
    max_items: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let limits = webhook_limits(py, max_bytes, max_items)?;
    // `bytes` is read in place (it is immutable); `str` and the rest are copied once.
    let copied;
    let bytes: &[u8] = if let Ok(b) = body.cast::<PyBytes>() {
        b.as_bytes()
    } else {
        copied = bytes_of(body)?;
        &copied
    };
    // Other Python threads run while the delivery is read; the objects are built after.
    let batch = py
        .detach(|| wagroups::webhook::parse_webhook_with(bytes, &limits))
        .map_err(|e| raise(py, &e.into()))?;
    pythonize::pythonize(py, &batch)
        .map(Bound::unbind)
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The same parse, as JSON text: only for the benchmark that compares `json.loads` of it with
/// the direct conversion above.
#[pyfunction]
fn _parse_webhook_json_text(body: &[u8]) -> PyResult<String> {
    json_api::parse_webhook_text(body, &wagroups::webhook::WebhookLimits::default())
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

#[pyfunction]
fn verify_signature(
    py: Python<'_>,
    raw_body: &Bound<'_, PyAny>,
    header: Option<&str>,
    secret_or_secrets: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let secrets = secrets_of(secret_or_secrets)?;
    let body = bytes_of(raw_body)?;
    py.detach(|| json_api::verify_signature_json(&body, header, &secrets))
        .map(|_| ())
        .map_err(|e| raise(py, &e))
}

#[pyfunction]
fn verify_subscription(
    py: Python<'_>,
    query: &Bound<'_, PyAny>,
    verify_token: &str,
) -> PyResult<Py<PyAny>> {
    if let Ok(s) = query.cast::<PyString>() {
        return out(
            py,
            json_api::verify_subscription_json(&s.to_cow()?, verify_token),
        );
    }
    let pairs = headers_of(Some(query))?;
    out(
        py,
        json_api::verify_subscription_pairs_json(&pairs, verify_token),
    )
}

#[pyfunction]
fn check_group_picture(py: Python<'_>, data: &[u8]) -> PyResult<Py<PyAny>> {
    out(py, Ok(json_api::check_image_json(data)))
}

/// Deprecated: the former name of `check_group_picture`, kept for one release.
#[pyfunction]
fn check_image(py: Python<'_>, data: &[u8]) -> PyResult<Py<PyAny>> {
    check_group_picture(py, data)
}

#[pyfunction]
fn sniff_image(py: Python<'_>, data: &[u8]) -> PyResult<Py<PyAny>> {
    out(py, json_api::sniff_image_json(data))
}

#[pyfunction]
#[pyo3(signature = (status, body, headers = None))]
fn classify_error(
    py: Python<'_>,
    status: u16,
    body: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let headers = headers_of(headers)?;
    out(
        py,
        Ok(json_api::classify_error_json(
            status,
            &headers,
            &bytes_of(body)?,
        )),
    )
}

#[pyfunction]
fn error_catalog(py: Python<'_>) -> PyResult<Py<PyAny>> {
    out(py, Ok(json_api::catalog_json(None).unwrap_or(Value::Null)))
}

#[pyfunction]
fn operations(py: Python<'_>) -> PyResult<Py<PyAny>> {
    out(py, Ok(json_api::operations_json()))
}

/// Secrets given as one `str`/`bytes` or a sequence of them.
fn secrets_of(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<u8>>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        Ok(vec![bytes_of(obj)?])
    } else {
        obj.try_iter()?.map(|s| bytes_of(&s?)).collect()
    }
}

#[pyfunction]
#[pyo3(signature = (error, attempt, policy = None, random = 0.0))]
fn next_attempt(
    py: Python<'_>,
    error: &Bound<'_, PyAny>,
    attempt: i64,
    policy: Option<&Bound<'_, PyAny>>,
    random: f64,
) -> PyResult<Py<PyAny>> {
    // An exception of this library carries its JSON form as `info`.
    let info = match error.getattr("info") {
        Ok(info) if error.is_instance_of::<pyo3::exceptions::PyException>() => info,
        _ => error.clone(),
    };
    let policy = match policy {
        Some(p) if !p.is_none() => to_json(p)?,
        _ => Value::Null,
    };
    out(
        py,
        json_api::next_attempt_json(&to_json(&info)?, attempt, &policy, random),
    )
}

/// What a webhook endpoint answers, and what came with the request.
#[pyclass(frozen, get_all, module = "wagroups._native")]
struct Received {
    status: u16,
    content_type: String,
    body: Py<PyBytes>,
    batch: Py<PyAny>,
    events: Py<PyAny>,
    problem: Py<PyAny>,
}

#[pymethods]
impl Received {
    fn __repr__(&self) -> String {
        format!(
            "Received(status={}, content_type={:?})",
            self.status, self.content_type
        )
    }
}

#[pyfunction]
#[pyo3(signature = (method, query, headers, body, *, app_secrets, verify_token = None, max_bytes = None, max_items = None))]
#[allow(clippy::too_many_arguments)]
fn receive(
    py: Python<'_>,
    method: &str,
    query: Option<&Bound<'_, PyAny>>,
    headers: Option<&Bound<'_, PyAny>>,
    body: &Bound<'_, PyAny>,
    app_secrets: &Bound<'_, PyAny>,
    verify_token: Option<&str>,
    max_bytes: Option<i64>,
    max_items: Option<i64>,
) -> PyResult<Received> {
    let limits = webhook_limits(py, max_bytes, max_items)?;
    let query = match query {
        Some(q) if q.is_instance_of::<PyString>() => {
            wagroups::webhook::parse_query(&q.cast::<PyString>()?.to_cow()?)
        }
        other => headers_of(other)?,
    };
    let headers = headers_of(headers)?;
    let body = bytes_of(body)?;
    let secrets = secrets_of(app_secrets)?;
    let mut received = py.detach(|| {
        json_api::receive_answer(
            method,
            &query,
            &headers,
            &body,
            &secrets,
            verify_token,
            &limits,
            None,
        )
    });
    let batch = match received.batch.take() {
        Some(b) => pythonize::pythonize(py, &b)
            .map_err(|e| PyValueError::new_err(e.to_string()))?
            .unbind(),
        None => py.None(),
    };
    let events = match batch.bind(py).get_item("events") {
        Ok(e) => e.unbind(),
        Err(_) => PyList::empty(py).into_any().unbind(),
    };
    let problem = match &received.problem {
        Some(e) => raise(py, e).into_value(py).into_any(),
        None => py.None(),
    };
    Ok(Received {
        status: received.status,
        content_type: received.content_type.to_owned(),
        body: PyBytes::new(py, received.body.as_bytes()).unbind(),
        batch,
        events,
        problem,
    })
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(build_request, m)?)?;
    m.add_function(wrap_pyfunction!(build_set_group_picture, m)?)?;
    m.add_function(wrap_pyfunction!(check_media_download, m)?)?;
    m.add_function(wrap_pyfunction!(http_args, m)?)?;
    m.add_function(wrap_pyfunction!(apply_events, m)?)?;
    m.add_function(wrap_pyfunction!(apply_reply, m)?)?;
    m.add_function(wrap_pyfunction!(seed_from_group_info, m)?)?;
    m.add_function(wrap_pyfunction!(quote_message, m)?)?;
    m.add_function(wrap_pyfunction!(prune, m)?)?;
    m.add_function(wrap_pyfunction!(parse_response, m)?)?;
    m.add_function(wrap_pyfunction!(next_page_params, m)?)?;
    m.add_function(wrap_pyfunction!(parse_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(_parse_webhook_json_text, m)?)?;
    m.add_function(wrap_pyfunction!(verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(verify_subscription, m)?)?;
    m.add_function(wrap_pyfunction!(check_group_picture, m)?)?;
    m.add_function(wrap_pyfunction!(check_image, m)?)?;
    m.add_function(wrap_pyfunction!(sniff_image, m)?)?;
    m.add_function(wrap_pyfunction!(classify_error, m)?)?;
    m.add_function(wrap_pyfunction!(error_catalog, m)?)?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(next_attempt, m)?)?;
    m.add_function(wrap_pyfunction!(receive, m)?)?;
    m.add_class::<Received>()?;
    Ok(())
}
