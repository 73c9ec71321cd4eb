//! Reading one line with a cap, and a reader that can give bytes back.
//!
//! In: a buffered byte stream. Out: lines no longer than a limit (longer
//! ones are skipped up to their newline and reported, never buffered
//! whole), and [`Pushback`], which lets the WARC reader look ahead and put
//! bytes back when it resynchronises after a record whose length lied.

use std::io::{self, BufRead, Read};

/// The result of [`read_line_capped`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineRead {
    /// A line is in the buffer, without its `\n` (a `\r` may remain).
    Line,
    /// The line was longer than the cap; it was consumed and dropped.
    TooLong,
    /// The stream ended before any byte of a new line.
    Eof,
}

/// Reads the next line into `buf` (cleared first), keeping at most `max`
/// bytes of it.
pub(crate) fn read_line_capped<R: BufRead + ?Sized>(
    input: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<LineRead> {
    buf.clear();
    let mut too_long = false;
    let mut seen_any = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(match (seen_any, too_long) {
                (false, _) => LineRead::Eof,
                (true, true) => LineRead::TooLong,
                (true, false) => LineRead::Line,
            });
        }
        seen_any = true;
        let (chunk, used, ends) = match memchr::memchr(b'\n', available) {
            Some(at) => (&available[..at], at + 1, true),
            None => (available, available.len(), false),
        };
        if !too_long && buf.len() + chunk.len() <= max {
            buf.extend_from_slice(chunk);
        } else {
            too_long = true;
            buf.clear();
        }
        input.consume(used);
        if ends {
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

/// A buffered reader with a front buffer of bytes put back or peeked.
pub(crate) struct Pushback<R> {
    inner: R,
    front: Vec<u8>,
    pos: usize,
}

impl<R: BufRead> Pushback<R> {
    pub(crate) fn new(inner: R) -> Self {
        Pushback {
            inner,
            front: Vec::new(),
            pos: 0,
        }
    }

    /// Puts `bytes` back so they are read next, before anything pending.
    pub(crate) fn unread(&mut self, bytes: &[u8]) {
        let mut front = Vec::with_capacity(bytes.len() + self.front.len() - self.pos);
        front.extend_from_slice(bytes);
        front.extend_from_slice(&self.front[self.pos..]);
        self.front = front;
        self.pos = 0;
    }

    /// The next `n` bytes (fewer at the end of the stream), not consumed.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.pos > 0 {
            self.front.drain(..self.pos);
            self.pos = 0;
        }
        while self.front.len() < n {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let take = available.len().min(n - self.front.len());
            self.front.extend_from_slice(&available[..take]);
            self.inner.consume(take);
        }
        Ok(&self.front[..self.front.len().min(n)])
    }
}

impl<R: BufRead> Read for Pushback<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Pushback<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.front.len() {
            Ok(&self.front[self.pos..])
        } else {
            self.inner.fill_buf()
        }
    }

    fn consume(&mut self, n: usize) {
        if self.pos < self.front.len() {
            self.pos += n;
            if self.pos >= self.front.len() {
                self.front.clear();
                self.pos = 0;
            }
        } else {
            self.inner.consume(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_capped_and_skipped() {
        let text = "سطر قصير\nسطر طويل جدا جدا جدا\nأخير";
        let mut input = text.as_bytes();
        let mut buf = Vec::new();
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 20).unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, "سطر قصير".as_bytes());
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 20).unwrap(),
            LineRead::TooLong
        );
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 20).unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, "أخير".as_bytes());
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 20).unwrap(),
            LineRead::Eof
        );
    }

    #[test]
    fn pushback_peeks_and_unreads() {
        let mut r = Pushback::new("واحد اثنان".as_bytes());
        assert_eq!(r.peek(4).unwrap(), "وا".as_bytes());
        let mut first = [0u8; 2];
        r.read_exact(&mut first).unwrap();
        r.unread(&first);
        let mut all = String::new();
        r.read_to_string(&mut all).unwrap();
        assert_eq!(all, "واحد اثنان");
    }
}
