//! `multipart/form-data` bodies: a form of named parts, built by the generated body types
//! (or by hand where the spec names no parts) and encoded by reqwest.
//!
//! Values follow OpenAPI's default encoding of form-data properties: strings, numbers and
//! booleans as `text/plain` parts, objects as one `application/json` part, arrays as one
//! part per item, absent (`None`) values as no part.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use crate::error::Error;

/// A file sent as one part: its bytes, and the file name and media type to announce.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct File {
    pub bytes: Vec<u8>,
    /// Sent as the part's `filename`; servers often require one.
    pub file_name: Option<String>,
    /// The part's `Content-Type`; without it the spec's encoding, else
    /// `application/octet-stream`.
    pub content_type: Option<String>,
}

impl File {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        File {
            bytes: bytes.into(),
            ..File::default()
        }
    }

    pub fn with_file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn with_content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }
}

impl From<Vec<u8>> for File {
    fn from(bytes: Vec<u8>) -> Self {
        File::new(bytes)
    }
}

/// What a file field holds: one file, maybe one, or several (one part each).
pub trait Files {
    fn into_files(self) -> Vec<File>;
}

impl Files for File {
    fn into_files(self) -> Vec<File> {
        vec![self]
    }
}

impl Files for Option<File> {
    fn into_files(self) -> Vec<File> {
        self.into_iter().collect()
    }
}

impl Files for Vec<File> {
    fn into_files(self) -> Vec<File> {
        self
    }
}

impl Files for Option<Vec<File>> {
    fn into_files(self) -> Vec<File> {
        self.unwrap_or_default()
    }
}

/// A multipart form being built, part by part, in order. The first value that cannot be
/// encoded is kept and reported when the request is sent. Parts are kept as bytes (so a
/// form is `Clone`, like the request builders holding it) and encoded by reqwest when
/// the request is sent.
#[derive(Debug, Clone, Default)]
pub struct Form {
    parts: Vec<Part>,
    pub(crate) error: Option<String>,
}

/// One part: its name, bytes, and the file name and media type to announce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: Name,
    pub bytes: Vec<u8>,
    pub file_name: Option<String>,
    /// None for a plain text part (`text/plain` to the server).
    pub content_type: Option<String>,
}

type Name = Cow<'static, str>;

impl Form {
    pub fn new() -> Self {
        Form::default()
    }

    /// The parts so far, in order.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Adds `value` by the default rules (see the module docs).
    pub fn value<T: Serialize + ?Sized>(self, name: impl Into<Name>, value: &T) -> Self {
        let name = name.into();
        self.encoded(&name, value, |form, json| form.value_parts(&name, json))
    }

    /// Adds `value` as one `application/json` part (an `encoding` that says JSON).
    pub fn json<T: Serialize + ?Sized>(self, name: impl Into<Name>, value: &T) -> Self {
        let name = name.into();
        self.encoded(&name, value, |form, json| match json {
            Value::Null => form,
            json => form.json_part(&name, &json),
        })
    }

    /// Adds one file part per file; `content_type` is the media type for files that do
    /// not give their own.
    pub fn file(self, name: impl Into<Name>, files: impl Files, content_type: &str) -> Self {
        let name = name.into();
        files.into_files().into_iter().fold(self, |form, file| {
            let media = file
                .content_type
                .unwrap_or_else(|| content_type.to_string());
            form.push(&name, file.bytes, file.file_name, Some(media))
        })
    }

    /// Adds a text part as it is.
    pub fn text(self, name: impl Into<Name>, value: impl Into<String>) -> Self {
        self.push(&name.into(), value.into().into_bytes(), None, None)
    }

    /// Adds a part with any bytes, file name and media type.
    pub fn part(mut self, part: Part) -> Self {
        self.parts.push(part);
        self
    }

    fn push(
        mut self,
        name: &Name,
        bytes: Vec<u8>,
        file_name: Option<String>,
        content_type: Option<String>,
    ) -> Self {
        self.parts.push(Part {
            name: name.clone(),
            bytes,
            file_name,
            content_type,
        });
        self
    }

    fn encoded<T: Serialize + ?Sized>(
        mut self,
        name: &Name,
        value: &T,
        add: impl FnOnce(Self, Value) -> Self,
    ) -> Self {
        match serde_json::to_value(value) {
            Ok(json) => add(self, json),
            Err(e) => {
                self.error.get_or_insert(format!("part {name:?}: {e}"));
                self
            }
        }
    }

    fn value_parts(self, name: &Name, json: Value) -> Self {
        match json {
            Value::Array(items) => items
                .into_iter()
                .fold(self, |form, item| form.item_part(name, item)),
            json => self.item_part(name, json),
        }
    }

    /// One value as one part: text for scalars, JSON for objects and arrays.
    fn item_part(self, name: &Name, json: Value) -> Self {
        match json {
            Value::Null => self,
            Value::String(text) => self.push(name, text.into_bytes(), None, None),
            Value::Bool(_) | Value::Number(_) => {
                self.push(name, json.to_string().into_bytes(), None, None)
            }
            json => self.json_part(name, &json),
        }
    }

    fn json_part(self, name: &Name, json: &Value) -> Self {
        let bytes = json.to_string().into_bytes();
        self.push(name, bytes, None, Some("application/json".into()))
    }

    /// The reqwest form with these parts, or what is wrong with one of them.
    pub(crate) fn into_reqwest(self) -> Result<reqwest::multipart::Form, String> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut form = reqwest::multipart::Form::new();
        for part in self.parts {
            let mut encoded = reqwest::multipart::Part::bytes(part.bytes);
            if let Some(file_name) = part.file_name {
                encoded = encoded.file_name(file_name);
            }
            if let Some(media) = part.content_type {
                encoded = encoded.mime_str(&media).map_err(|e| {
                    format!("part {:?}: {media:?} is not a media type ({e})", part.name)
                })?;
            }
            form = form.part(part.name, encoded);
        }
        Ok(form)
    }

    /// A multipart form as bytes and its content type. reqwest encodes a form as a stream;
    /// reading it once here (from a request that is built, never sent) lets retries and
    /// hooks see the same body.
    pub(crate) async fn encode(
        self,
        operation: &'static str,
        http: &reqwest::Client,
    ) -> Result<(bytes::Bytes, Cow<'static, str>), Error> {
        use http_body_util::BodyExt;
        let form = self.into_reqwest().map_err(|reason| Error::Encode {
            operation,
            source: serde::ser::Error::custom(reason),
        })?;
        let content_type = format!("multipart/form-data; boundary={}", form.boundary());
        let transport = |source| Error::transport(operation, source);
        let mut request = http
            .post("http://form.invalid/")
            .multipart(form)
            .build()
            .map_err(transport)?;
        let bytes = match request.body_mut().take() {
            Some(body) => body.collect().await.map_err(transport)?.to_bytes(),
            None => bytes::Bytes::new(),
        };
        Ok((bytes, content_type.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(form: &Form) -> Vec<(String, String, Option<String>)> {
        form.parts()
            .iter()
            .map(|p| {
                (
                    p.name.to_string(),
                    String::from_utf8_lossy(&p.bytes).into_owned(),
                    p.content_type.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn values_follow_the_openapi_defaults() {
        let form = Form::new()
            .value("absent", &None::<String>)
            .value("n", &1.5)
            .value("flag", &true)
            .value("list", &vec![vec![1, 2], vec![3]])
            .value("object", &serde_json::json!({"a": [1]}))
            .json("quoted", &"text")
            .file("files", None::<Vec<File>>, "application/octet-stream");
        let json = Some("application/json".to_string());
        assert_eq!(
            summary(&form),
            vec![
                ("n".into(), "1.5".into(), None),
                ("flag".into(), "true".into(), None),
                // Items of an array are parts; an item that is itself an array is JSON.
                ("list".into(), "[1,2]".into(), json.clone()),
                ("list".into(), "[3]".into(), json.clone()),
                ("object".into(), r#"{"a":[1]}"#.into(), json.clone()),
                ("quoted".into(), r#""text""#.into(), json),
            ]
        );
        assert!(form.error.is_none());
    }

    #[test]
    fn a_value_that_cannot_be_encoded_is_kept_as_the_error() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1);
        let form = Form::new().value("map", &map).text("after", "x");
        assert!(form.error.as_deref().unwrap().starts_with("part \"map\""));
        assert!(form.into_reqwest().is_err());
    }
}
