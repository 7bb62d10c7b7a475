//! Server-sent events: a `text/event-stream` response as a [`Stream`] of typed events.
//! Input: the chunks of a live response; output: each event with its data decoded.
//!
//! The parser follows the WHATWG rules (lines end in LF, CR or CRLF, a leading BOM is
//! dropped, `:` starts a comment, `data` lines join with `\n`, an event without data is
//! not dispatched, an `id` holding NUL is ignored, `retry` takes digits only, an event
//! the stream ends inside is dropped). It reads each byte once, so its time is linear in
//! the stream, and holds at most `limit` bytes of one unfinished event: past that the
//! stream ends with `Error::BodyTooLarge`. (`eventsource-stream` rescans an unfinished
//! line at each chunk, quadratic in a long line, and has no bound.)

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::error::Error;
use crate::response::{ByteStream, Chunks};

/// One server-sent event, its data decoded as `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event:` name, `message` when the event gives none.
    pub event: String,
    pub data: T,
    /// The last `id:` the stream gave, this event's or an earlier one's (empty if none):
    /// what a reconnecting client sends as `Last-Event-ID`.
    pub id: String,
    /// How long the server asks a client to wait before reconnecting, when it says.
    pub retry: Option<Duration>,
}

/// How each event's data becomes a `T`: the data as text, or JSON of `T`'s type.
pub type DecodeData<T> = fn(&'static str, StatusCode, String) -> Result<T, Error>;

/// The events of a `text/event-stream` response. Each item is an event, or an error:
/// data that does not decode is an `Error::Decode` item and the stream goes on; a
/// connection that fails or stays silent past the call's timeout is a last error item.
/// Dropping the stream closes the connection.
pub struct EventStream<T> {
    status: StatusCode,
    headers: HeaderMap,
    items: Pin<Box<dyn Stream<Item = Result<Event<T>, Error>> + Send>>,
}

impl<T: Send + 'static> EventStream<T> {
    /// The events of `body`, each event's data at most `limit` bytes.
    pub fn new(
        operation: &'static str,
        body: ByteStream,
        limit: u64,
        decode: DecodeData<T>,
    ) -> Self {
        let (status, headers, chunks) = body.into_parts();
        let state = State {
            chunks: Some(chunks),
            parser: Parser::new(limit),
            ready: Ready::new(),
        };
        let items = futures_util::stream::unfold(state, move |mut state| async move {
            loop {
                if let Some(raw) = state.ready.pop_front() {
                    let item = match raw {
                        Ok(raw) => decode(operation, status, raw.data).map(|data| Event {
                            event: raw.event,
                            data,
                            id: raw.id,
                            retry: raw.retry,
                        }),
                        Err(Overflow) => Err(Error::BodyTooLarge {
                            operation,
                            status,
                            limit,
                        }),
                    };
                    return Some((item, state));
                }
                let chunks = state.chunks.as_mut()?;
                match chunks.next().await {
                    Some(Ok(chunk)) => {
                        if state.parser.feed(&chunk, &mut state.ready).is_err() {
                            state.chunks = None;
                        }
                    }
                    Some(Err(error)) => {
                        state.chunks = None;
                        return Some((Err(error), state));
                    }
                    None => return None,
                }
            }
        });
        EventStream {
            status,
            headers,
            items: Box::pin(items),
        }
    }
}

impl<T> EventStream<T> {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the server gave, with the header that carried it.
    pub fn request_id(&self) -> Option<(&'static str, &str)> {
        crate::error::request_id(&self.headers)
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("headers", &crate::redact::HeaderNames(&self.headers))
            .finish_non_exhaustive()
    }
}

/// Event data as text.
pub fn text_data(_: &'static str, _: StatusCode, data: String) -> Result<String, Error> {
    Ok(data)
}

/// Event data as JSON of `T` (named in errors by its Rust type name).
pub fn json_data<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    data: String,
) -> Result<T, Error> {
    crate::error::decode_json(
        operation,
        status,
        std::any::type_name::<T>(),
        data.into_bytes(),
    )
}

struct State {
    chunks: Option<Chunks>,
    parser: Parser,
    ready: Ready,
}

/// Events parsed and not yet handed out, or the overflow that ended the parse.
type Ready = std::collections::VecDeque<Result<RawEvent, Overflow>>;

/// An event before its data is decoded.
#[derive(Debug, Clone, PartialEq)]
struct RawEvent {
    event: String,
    data: String,
    id: String,
    retry: Option<Duration>,
}

/// An unfinished event grew past the limit.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Overflow;

/// The WHATWG event stream parser, fed chunk by chunk.
struct Parser {
    limit: u64,
    /// The line being read, not yet ended.
    line: Vec<u8>,
    /// The last byte ended a line with CR: an LF right after it ends nothing.
    after_cr: bool,
    /// Still at the very start, where a BOM is dropped.
    at_start: bool,
    data: String,
    event: String,
    last_id: String,
    retry: Option<Duration>,
}

impl Parser {
    fn new(limit: u64) -> Self {
        Parser {
            limit,
            line: Vec::new(),
            after_cr: false,
            at_start: true,
            data: String::new(),
            event: String::new(),
            last_id: String::new(),
            retry: None,
        }
    }

    /// Reads `chunk`, putting each event it completes in `out`; an overflow is put there
    /// too, and ends the parse.
    fn feed(&mut self, mut chunk: &[u8], out: &mut Ready) -> Result<(), Overflow> {
        if self.at_start && !chunk.is_empty() {
            let bom = "\u{feff}".as_bytes();
            let known = self.line.len() + chunk.len();
            self.line.extend_from_slice(chunk);
            if known < bom.len() && bom.starts_with(&self.line) {
                return Ok(());
            }
            self.at_start = false;
            let start = if self.line.starts_with(bom) {
                bom.len()
            } else {
                0
            };
            let all = std::mem::take(&mut self.line);
            return self.feed_lines(&all[start..], out);
        }
        if self.after_cr && chunk.first() == Some(&b'\n') {
            chunk = &chunk[1..];
        }
        self.after_cr = false;
        self.feed_lines(chunk, out)
    }

    fn feed_lines(&mut self, mut chunk: &[u8], out: &mut Ready) -> Result<(), Overflow> {
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&chunk[..end]);
            let crlf = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if crlf {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            let line = std::mem::take(&mut self.line);
            if let Some(event) = self.line_ended(&line) {
                out.push_back(Ok(event));
            }
            self.check(out)?;
        }
        self.line.extend_from_slice(chunk);
        self.check(out)
    }

    fn check(&self, out: &mut Ready) -> Result<(), Overflow> {
        if (self.line.len() + self.data.len() + self.event.len()) as u64 > self.limit {
            out.push_back(Err(Overflow));
            return Err(Overflow);
        }
        Ok(())
    }

    /// One whole line: a field, a comment, or the blank line that dispatches an event.
    fn line_ended(&mut self, line: &[u8]) -> Option<RawEvent> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            return None;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.last_id = value.to_string(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<RawEvent> {
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        Some(RawEvent {
            event: if event.is_empty() {
                "message".into()
            } else {
                event
            },
            data,
            id: self.last_id.clone(),
            retry: self.retry,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]], limit: u64) -> Vec<Result<RawEvent, Overflow>> {
        let mut parser = Parser::new(limit);
        let mut out = std::collections::VecDeque::new();
        for chunk in chunks {
            if parser.feed(chunk, &mut out).is_err() {
                break;
            }
        }
        out.into_iter().collect()
    }

    fn event(event: &str, data: &str, id: &str) -> Result<RawEvent, Overflow> {
        Ok(RawEvent {
            event: event.into(),
            data: data.into(),
            id: id.into(),
            retry: None,
        })
    }

    #[test]
    fn fields_comments_and_line_ends_follow_the_whatwg_rules() {
        let stream: &[u8] =
            b"\xEF\xBB\xBF: hello\r\nevent: tick\rdata: a\ndata:b\r\nid: 7\n\n:keep-alive\n\ndata\n\n";
        assert_eq!(
            parse(&[stream], 1 << 20),
            vec![event("tick", "a\nb", "7"), event("message", "", "7")]
        );
        // Any split gives the same events, a CRLF or the BOM cut in two included.
        for at in 1..stream.len() {
            assert_eq!(
                parse(&[&stream[..at], &stream[at..]], 1 << 20),
                parse(&[stream], 1 << 20),
                "split at {at}"
            );
        }
    }

    #[test]
    fn retry_takes_digits_only_and_ids_with_nul_are_ignored() {
        let out = parse(
            &[b"retry: 1500\nid: a\0b\ndata: x\n\nretry: 2s\ndata: y\n\n"],
            1 << 20,
        );
        let retries: Vec<_> = out.iter().map(|e| e.as_ref().unwrap().retry).collect();
        assert_eq!(retries, [Some(Duration::from_millis(1500)); 2]);
        assert_eq!(out[0].as_ref().unwrap().id, "");
    }

    #[test]
    fn an_unfinished_event_at_the_end_is_dropped_and_one_past_the_limit_is_an_overflow() {
        assert_eq!(
            parse(&[b"data: done\n\ndata: cut"], 1 << 20),
            vec![event("message", "done", "")]
        );
        let long = vec![b'x'; 5000];
        let out = parse(&[b"data: ", &long, &long], 8000);
        assert_eq!(out, vec![Err(Overflow)]);
    }
}
