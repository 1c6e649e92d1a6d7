//! What a CSV file's bytes are before any row is read: the encoding (UTF-8, with or without a
//! byte-order mark, or the Thai single-byte TIS-620 / windows-874 that older Thai Excel
//! versions save) and the delimiter (comma, semicolon, tab or bar), sniffed from the first
//! 64 KiB.

use encoding_rs::{Decoder, WINDOWS_874};
use std::io::{self, Read};

/// How many bytes the sniffers look at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// The encoding found at the start of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (the default and the only one read without a flag).
    Utf8,
    /// UTF-8 after a byte-order mark (Excel's "CSV UTF-8"); the mark is skipped.
    Utf8Bom,
    /// TIS-620 / windows-874: Thai letters as single bytes 0xA1–0xFB.
    Tis620,
    /// UTF-16 (Excel's "Unicode text"): refused with a hint.
    Utf16,
    /// Neither UTF-8 nor Thai single-byte text.
    Unknown,
}

/// Looks at the first bytes of a file.
pub fn sniff_encoding(head: &[u8]) -> Encoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8Bom;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16;
    }
    match std::str::from_utf8(head) {
        Ok(_) => Encoding::Utf8,
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) => {
            let thai = head.iter().filter(|b| (0xA1..=0xFB).contains(*b)).count();
            let high = head.iter().filter(|b| **b >= 0x80).count();
            if thai > 0 && thai * 10 >= high * 9 {
                Encoding::Tis620
            } else {
                Encoding::Unknown
            }
        }
    }
}

/// Picks the delimiter from the header line: the most frequent of `,`, `;`, tab and `|`
/// outside double quotes (comma when none occurs: a one-column file).
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// The name of a delimiter for reports.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "bar",
        _ => "other",
    }
}

/// A reader that turns windows-874 (a superset of TIS-620) bytes into UTF-8 as they stream by.
pub struct Tis620Reader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    done: bool,
}

impl<R: Read> Tis620Reader<R> {
    /// Wraps a byte reader.
    pub fn new(inner: R) -> Self {
        Tis620Reader {
            inner,
            decoder: WINDOWS_874.new_decoder_without_bom_handling(),
            input: vec![0; 16 * 1024],
            output: Vec::with_capacity(48 * 1024),
            out_pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Tis620Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.output.len() {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            self.output.clear();
            self.out_pos = 0;
            // Every windows-874 byte becomes at most 3 UTF-8 bytes.
            self.output.resize(n * 3 + 16, 0);
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[..n], &mut self.output, last);
            self.output.truncate(written);
            self.done = last;
        }
        let n = buf.len().min(self.output.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_encodings_apart() {
        assert_eq!(sniff_encoding("ชื่อ,นามสกุล\n".as_bytes()), Encoding::Utf8);
        assert_eq!(
            sniff_encoding(b"\xEF\xBB\xBFfirst_name\n"),
            Encoding::Utf8Bom
        );
        // "ชื่อ" in TIS-620.
        assert_eq!(sniff_encoding(b"\xAA\xD7\xE8\xCD,x\n"), Encoding::Tis620);
        assert_eq!(sniff_encoding(b"\xFF\xFEa\x00"), Encoding::Utf16);
        // A UTF-8 character cut at the end of the sample is still UTF-8.
        let s = "ชื่อ".as_bytes();
        assert_eq!(sniff_encoding(&s[..s.len() - 1]), Encoding::Utf8);
    }

    #[test]
    fn finds_the_delimiter_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"first_name\n"), b',');
    }

    #[test]
    fn converts_tis620_to_utf8() {
        let mut out = String::new();
        Tis620Reader::new(&b"\xAA\xD7\xE8\xCD,1\r\n"[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "ชื่อ,1\r\n");
    }
}
