//! The control API's and the host's own answers: plain text or JSON, built the same way everywhere.

use bytes::Bytes;
use http::header;
use http::{Response, StatusCode};
use http_body_util::Full;
use serde::Serialize;

pub(crate) type Resp = Response<Full<Bytes>>;

pub(crate) fn text(status: StatusCode, body: &str) -> Resp {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap()
}

pub(crate) fn json<T: Serialize>(status: StatusCode, value: &T) -> Resp {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(serde_json::to_vec(value).unwrap())))
        .unwrap()
}

pub(crate) fn error_json(status: StatusCode, message: &str) -> Resp {
    json(status, &serde_json::json!({ "error": message }))
}
