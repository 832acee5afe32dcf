//! Server-Sent Events read as the WHATWG spec says, each byte looked at once: a line that never ends or a
//! flood of blank lines costs no more than reading it (eventsource-stream re-parses its whole buffer on
//! every chunk and copies the rest of it after every line), and lines and events are capped.

use super::net::{StreamError, caps};
use futures::{Stream, StreamExt};

/// One thing the stream said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sse {
    /// An event: its type (`message` when unnamed), its data, and the last event id seen.
    Event {
        /// The `event:` field.
        kind: String,
        /// The `data:` lines, joined by newlines.
        data: String,
        /// The last `id:` seen on the stream.
        id: String,
    },
    /// A comment (a keep-alive): the link is alive.
    Alive,
}

/// The parser's state between chunks.
#[derive(Debug, Default)]
struct Parser {
    line: Vec<u8>,
    after_cr: bool,
    started: bool,
    kind: String,
    data: String,
    id: String,
    event_size: usize,
    cap: usize,
}

impl Parser {
    /// Reads `chunk`, pushing what it completes to `out`; past a cap, the error that ends the stream.
    fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<Sse>) -> Result<(), StreamError> {
        if !self.started && !chunk.is_empty() {
            self.started = true;
            chunk = chunk.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(chunk);
        }
        for &b in chunk {
            let lf_after_cr = b == b'\n' && self.after_cr;
            self.after_cr = b == b'\r';
            match b {
                _ if lf_after_cr => {}
                b'\n' | b'\r' => {
                    let line = std::mem::take(&mut self.line);
                    self.line_done(&line, out);
                }
                _ => {
                    self.line.push(b);
                    self.event_size += 1;
                    if self.line.len() > self.cap || self.event_size > self.cap {
                        let what = if self.line.len() > self.cap { "a line" } else { "an event" };
                        return Err(StreamError::TooLong(what, self.cap));
                    }
                }
            }
        }
        Ok(())
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<Sse>) {
        if line.is_empty() {
            self.event_size = 0;
            let kind = std::mem::take(&mut self.kind);
            if self.data.is_empty() {
                return;
            }
            let mut data = std::mem::take(&mut self.data);
            data.pop();
            let kind = if kind.is_empty() { "message".to_string() } else { kind };
            out.push(Sse::Event { kind, data, id: self.id.clone() });
            return;
        }
        if line[0] == b':' {
            out.push(Sse::Alive);
            return;
        }
        let text = String::from_utf8_lossy(line);
        let (field, value) = match text.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (text.as_ref(), ""),
        };
        match field {
            "event" => self.kind = value.to_string(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.id = value.to_string(),
            _ => {}
        }
    }
}

/// The events and keep-alives of a byte stream; a transport error or a passed cap is its last item.
pub fn events<B, E>(
    bytes: impl Stream<Item = Result<B, E>> + Send + 'static,
) -> impl Stream<Item = Result<Sse, StreamError>> + Send + 'static
where
    B: AsRef<[u8]> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let mut parser = Parser { cap: caps().stream, ..Parser::default() };
    let mut ended = false;
    bytes
        .map(move |chunk| {
            let mut out: Vec<Result<Sse, StreamError>> = Vec::new();
            if ended {
                return out;
            }
            let mut said = Vec::new();
            let result = match chunk {
                Ok(c) => parser.feed(c.as_ref(), &mut said),
                Err(e) => Err(StreamError::Transport(e.to_string())),
            };
            out.extend(said.into_iter().map(Ok));
            if let Err(e) = result {
                ended = true;
                out.push(Err(e));
            }
            out
        })
        .flat_map(futures::stream::iter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> Vec<Result<Sse, String>> {
        let owned: Vec<Vec<u8>> = chunks.iter().map(|c| c.to_vec()).collect();
        let stream = futures::stream::iter(owned.into_iter().map(Ok::<_, std::io::Error>));
        let out: Vec<_> = futures::executor::block_on(events(stream).collect());
        out.into_iter().map(|r| r.map_err(|e| e.to_string())).collect()
    }

    fn event(kind: &str, data: &str, id: &str) -> Result<Sse, String> {
        Ok(Sse::Event { kind: kind.into(), data: data.into(), id: id.into() })
    }

    #[test]
    fn fields_lines_and_ids_as_the_spec_says() {
        let got = parse(&[b"\xEF\xBB\xBFid: 7\nevent: conversation.updated\ndata: {\"a\":\r\ndata:1}\r\n\r\n: ping\n\ndata: x\rid\r\r"]);
        assert_eq!(got, [event("conversation.updated", "{\"a\":\n1}", "7"), Ok(Sse::Alive), event("message", "x", "")]);
    }

    #[test]
    fn lines_split_anywhere_between_chunks() {
        let whole: &[u8] = b"id: 1\nevent: e\ndata: hello\r\n\r\n";
        for cut in 1..whole.len() {
            assert_eq!(parse(&[&whole[..cut], &whole[cut..]]), [event("e", "hello", "1")], "cut at {cut}");
        }
    }

    #[test]
    fn a_line_that_never_ends_is_cut_at_the_cap() {
        let chunk = vec![b'x'; 8192];
        let chunks: Vec<&[u8]> =
            std::iter::repeat_n(chunk.as_slice(), super::super::net::STREAM_CAP / 8192 + 10).collect();
        let got = parse(&chunks);
        assert_eq!(got, [Err("the server sent a line longer than 1 MB; the stream was dropped".to_string())]);
    }

    #[test]
    fn an_event_of_many_lines_is_cut_at_its_cap() {
        let line = [b"data: ".as_slice(), &[b'y'; 1000], b"\r\n"].concat();
        let chunks: Vec<&[u8]> =
            std::iter::repeat_n(line.as_slice(), super::super::net::STREAM_CAP / 1000 + 10).collect();
        let got = parse(&chunks);
        assert_eq!(
            got.last(),
            Some(&Err("the server sent an event longer than 1 MB; the stream was dropped".to_string()))
        );
        assert_eq!(got.len(), 1, "nothing of it was dispatched");
    }

    #[test]
    fn blank_lines_and_small_events_pass_whatever_their_total() {
        let blank = vec![b'\n'; 4 << 20];
        assert!(parse(&[&blank]).is_empty(), "four million blank lines are read once and say nothing");
        let event_bytes = [b"event: x\ndata: ".as_slice(), &[b'z'; 1000], b"\n\n"].concat();
        let chunks: Vec<&[u8]> = std::iter::repeat_n(event_bytes.as_slice(), 3000).collect();
        assert_eq!(parse(&chunks).len(), 3000);
    }
}
