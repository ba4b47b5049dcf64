//! The content hash: SHA-256 of the canonical JSON, without building the JSON.
//!
//! Hashes are stored in history databases, so the bytes hashed must stay
//! exactly what `serde_json` writes in compact form. Going through
//! `serde_json::to_writer` into the hasher gets that right but is slow on
//! large schemas: every token becomes its own small write into SHA-256. This
//! serializer writes the same bytes into a buffer that reaches the hasher in
//! large chunks. It relies on the derived `Serialize` impls, so field order,
//! renames, tags and `skip_serializing_if` have one source of truth; it only
//! re-implements the compact JSON syntax of the primitives, mirroring
//! `serde_json`'s compact formatter (including its quirks around empty
//! containers announced with a length of zero). Whatever it does not mirror
//! (floats, byte strings, non-string map keys) is refused, and the caller
//! falls back to `serde_json` itself, so a refusal costs time, never a
//! different hash.

use std::fmt;
use std::io::Write as _;

use serde::Serialize;
use serde::ser::{self, Impossible};
use sha2::{Digest, Sha256};

/// SHA-256 of `serde_json::to_vec(value)`.
pub(crate) fn sha256_of_json<T: Serialize + ?Sized>(value: &T) -> [u8; 32] {
    let mut sink = HashSink::default();
    match value.serialize(&mut Canonical { out: &mut sink }) {
        Ok(()) => sink.finish(),
        Err(Unsupported) => sha256_with_serde_json(value),
    }
}

/// The reference path: `serde_json` writing into the hasher.
fn sha256_with_serde_json<T: Serialize + ?Sized>(value: &T) -> [u8; 32] {
    struct Hasher<'a>(&'a mut Sha256);
    impl std::io::Write for Hasher<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sha = Sha256::new();
    // Serializing plain data to a hasher cannot fail; if it ever did, the hash
    // of the prefix still differs from any other schema's.
    let mut writer = std::io::BufWriter::with_capacity(CHUNK, Hasher(&mut sha));
    let _ = serde_json::to_writer(&mut writer, value);
    let _ = writer.flush();
    drop(writer);
    sha.finalize().into()
}

/// Lowercase hex of a digest.
pub(crate) fn hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(digest.len() * 2);
    for &byte in digest {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// Where the JSON bytes go.
trait Out {
    fn bytes(&mut self, bytes: &[u8]);
    fn byte(&mut self, byte: u8);
    /// `before"text"after` for text that needs no escaping. Most strings and
    /// every object key are written this way, so it is one bounds check and
    /// one copy rather than five writes.
    fn quoted(&mut self, before: Option<u8>, text: &[u8], after: Option<u8>) {
        if let Some(byte) = before {
            self.byte(byte);
        }
        self.byte(b'"');
        self.bytes(text);
        self.byte(b'"');
        if let Some(byte) = after {
            self.byte(byte);
        }
    }
}

/// Bytes handed to SHA-256 this many at a time: large enough that the
/// per-call cost of the hasher vanishes, small enough to stay in cache.
const CHUNK: usize = 64 * 1024;

struct HashSink {
    sha: Sha256,
    buf: Box<[u8]>,
    len: usize,
}

impl Default for HashSink {
    fn default() -> Self {
        HashSink { sha: Sha256::new(), buf: vec![0; CHUNK].into_boxed_slice(), len: 0 }
    }
}

impl HashSink {
    fn flush(&mut self) {
        self.sha.update(&self.buf[..self.len]);
        self.len = 0;
    }

    fn finish(mut self) -> [u8; 32] {
        self.flush();
        self.sha.finalize().into()
    }

    /// Room for `len` more bytes in the buffer; false when they would not fit
    /// even in an empty one.
    #[inline]
    fn room(&mut self, len: usize) -> bool {
        if self.len + len > CHUNK {
            self.flush();
        }
        len <= CHUNK
    }
}

impl Out for HashSink {
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        if self.room(bytes.len()) {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            self.sha.update(bytes);
        }
    }

    #[inline]
    fn byte(&mut self, byte: u8) {
        if self.len >= CHUNK {
            self.flush();
        }
        self.buf[self.len] = byte;
        self.len += 1;
    }

    #[inline]
    fn quoted(&mut self, before: Option<u8>, text: &[u8], after: Option<u8>) {
        if !self.room(text.len() + 4) {
            let (before, after) = (before.as_slice(), after.as_slice());
            for part in [before, b"\"", text, b"\"", after] {
                self.sha.update(part);
            }
            return;
        }
        let mut pos = self.len;
        if let Some(byte) = before {
            self.buf[pos] = byte;
            pos += 1;
        }
        self.buf[pos] = b'"';
        pos += 1;
        self.buf[pos..pos + text.len()].copy_from_slice(text);
        pos += text.len();
        self.buf[pos] = b'"';
        pos += 1;
        if let Some(byte) = after {
            self.buf[pos] = byte;
            pos += 1;
        }
        self.len = pos;
    }
}

#[cfg(test)]
impl Out for Vec<u8> {
    fn bytes(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
    fn byte(&mut self, byte: u8) {
        self.push(byte);
    }
}

/// What the fast path leaves to `serde_json`.
#[derive(Debug)]
struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unsupported
    }
}

type Result<T = ()> = std::result::Result<T, Unsupported>;

/// `serde_json`'s escape table: 0 for bytes written as they are, otherwise
/// the letter after the backslash (`u` for `\u00XX`).
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Whether any byte is a control character, `"` or `\\`. Eight bytes at a
/// time: this scan runs over every string of the schema, and a byte-wise
/// loop over it costs more than the hashing itself.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `word` is zero: its high bit survives in the result.
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(word);
        // Below 0x20: subtracting 0x20 borrows into the high bit of an ASCII
        // byte (bytes of 0x80 and up are ruled out by `!word`).
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
        let quote = has_zero(word ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
        if control | quote | backslash != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&byte| ESCAPE[usize::from(byte)] != 0)
}

/// `before"value"after`, `value` escaped as `serde_json` escapes it.
#[inline]
fn write_str_between<O: Out>(out: &mut O, before: Option<u8>, value: &str, after: Option<u8>) {
    if needs_escape(value.as_bytes()) {
        if let Some(byte) = before {
            out.byte(byte);
        }
        write_escaped(out, value);
        if let Some(byte) = after {
            out.byte(byte);
        }
    } else {
        out.quoted(before, value.as_bytes(), after);
    }
}

#[inline]
fn write_str<O: Out>(out: &mut O, value: &str) {
    write_str_between(out, None, value, None);
}

fn write_escaped<O: Out>(out: &mut O, value: &str) {
    let bytes = value.as_bytes();
    out.byte(b'"');
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.bytes(&bytes[start..i]);
        if escape == b'u' {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            out.bytes(&[b'\\', b'u', b'0', b'0', DIGITS[usize::from(byte >> 4)], DIGITS[usize::from(byte & 0xf)]]);
        } else {
            out.bytes(&[b'\\', escape]);
        }
        start = i + 1;
    }
    out.bytes(&bytes[start..]);
    out.byte(b'"');
}

/// Integers print as `Display` does (what `itoa`, used by `serde_json`, prints).
fn write_int<O: Out>(out: &mut O, value: impl fmt::Display) {
    let mut buf = [0u8; 40];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    // 40 bytes hold any 128-bit integer.
    let _ = write!(cursor, "{value}");
    let len = usize::try_from(cursor.position()).unwrap_or(0);
    out.bytes(&buf[..len]);
}

struct Canonical<'o, O: Out> {
    out: &'o mut O,
}

/// Position in an array or object, as `serde_json` tracks it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Opened with a length of zero: already closed.
    Empty,
    First,
    Rest,
}

struct Compound<'a, 'o, O: Out> {
    ser: &'a mut Canonical<'o, O>,
    state: State,
}

impl<'a, 'o, O: Out> Canonical<'o, O> {
    fn open(&'a mut self, open: u8, close: u8, len: Option<usize>) -> Compound<'a, 'o, O> {
        self.out.byte(open);
        if len == Some(0) {
            self.out.byte(close);
            Compound { ser: self, state: State::Empty }
        } else {
            Compound { ser: self, state: State::First }
        }
    }

    /// `{"variant":` before the value of a variant that carries data.
    fn variant_key(&mut self, variant: &str) {
        write_str_between(self.out, Some(b'{'), variant, Some(b':'));
    }
}

impl<O: Out> Compound<'_, '_, O> {
    /// The comma before an element, except before the first.
    fn separator(&mut self) -> Option<u8> {
        let comma = if self.state == State::First { None } else { Some(b',') };
        self.state = State::Rest;
        comma
    }

    fn close(&mut self, close: u8) {
        if self.state != State::Empty {
            self.ser.out.byte(close);
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        if let Some(comma) = self.separator() {
            self.ser.out.byte(comma);
        }
        value.serialize(&mut *self.ser)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result {
        let comma = self.separator();
        write_str_between(self.ser.out, comma, key, Some(b':'));
        value.serialize(&mut *self.ser)
    }
}

impl<'a, 'o, O: Out> ser::Serializer for &'a mut Canonical<'o, O> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Compound<'a, 'o, O>;
    type SerializeTuple = Compound<'a, 'o, O>;
    type SerializeTupleStruct = Compound<'a, 'o, O>;
    type SerializeTupleVariant = Compound<'a, 'o, O>;
    type SerializeMap = Compound<'a, 'o, O>;
    type SerializeStruct = Compound<'a, 'o, O>;
    type SerializeStructVariant = Compound<'a, 'o, O>;

    fn serialize_bool(self, v: bool) -> Result {
        self.out.bytes(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result {
        write_int(self.out, v);
        Ok(())
    }
    // Float formatting (ryu) is not mirrored; the model has no floats.
    fn serialize_f32(self, _v: f32) -> Result {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result {
        Err(Unsupported)
    }
    fn serialize_char(self, v: char) -> Result {
        write_str(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        self.out.bytes(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.out.bytes(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        write_str(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.variant_key(variant);
        value.serialize(&mut *self)?;
        self.out.byte(b'}');
        Ok(())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(self.open(b'[', b']', len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        Ok(self.open(b'[', b']', Some(len)))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeTupleStruct> {
        Ok(self.open(b'[', b']', Some(len)))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.variant_key(variant);
        Ok(self.open(b'[', b']', Some(len)))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(self.open(b'{', b'}', len))
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        Ok(self.open(b'{', b'}', Some(len)))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.variant_key(variant);
        Ok(self.open(b'{', b'}', Some(len)))
    }
}

impl<O: Out> ser::SerializeSeq for Compound<'_, '_, O> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(mut self) -> Result {
        self.close(b']');
        Ok(())
    }
}

impl<O: Out> ser::SerializeTuple for Compound<'_, '_, O> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(mut self) -> Result {
        self.close(b']');
        Ok(())
    }
}

impl<O: Out> ser::SerializeTupleStruct for Compound<'_, '_, O> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(mut self) -> Result {
        self.close(b']');
        Ok(())
    }
}

impl<O: Out> ser::SerializeTupleVariant for Compound<'_, '_, O> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }
    fn end(mut self) -> Result {
        self.close(b']');
        self.ser.out.byte(b'}');
        Ok(())
    }
}

impl<O: Out> ser::SerializeMap for Compound<'_, '_, O> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        if let Some(comma) = self.separator() {
            self.ser.out.byte(comma);
        }
        key.serialize(MapKey { out: &mut *self.ser.out })?;
        self.ser.out.byte(b':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.ser)
    }
    fn end(mut self) -> Result {
        self.close(b'}');
        Ok(())
    }
}

impl<O: Out> ser::SerializeStruct for Compound<'_, '_, O> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }
    fn end(mut self) -> Result {
        self.close(b'}');
        Ok(())
    }
}

impl<O: Out> ser::SerializeStructVariant for Compound<'_, '_, O> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }
    fn end(mut self) -> Result {
        self.close(b'}');
        self.ser.out.byte(b'}');
        Ok(())
    }
}

/// Map keys: strings (and what serializes as one) only; `serde_json` quotes
/// other keys in ways not worth mirroring, so they are refused.
struct MapKey<'o, O: Out> {
    out: &'o mut O,
}

impl<O: Out> ser::Serializer for MapKey<'_, O> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Impossible<(), Unsupported>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Impossible<(), Unsupported>;
    type SerializeStruct = Impossible<(), Unsupported>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    fn serialize_str(self, v: &str) -> Result {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result {
        write_str(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        write_str(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result {
        Err(Unsupported)
    }
    fn serialize_i8(self, _v: i8) -> Result {
        Err(Unsupported)
    }
    fn serialize_i16(self, _v: i16) -> Result {
        Err(Unsupported)
    }
    fn serialize_i32(self, _v: i32) -> Result {
        Err(Unsupported)
    }
    fn serialize_i64(self, _v: i64) -> Result {
        Err(Unsupported)
    }
    fn serialize_u8(self, _v: u8) -> Result {
        Err(Unsupported)
    }
    fn serialize_u16(self, _v: u16) -> Result {
        Err(Unsupported)
    }
    fn serialize_u32(self, _v: u32) -> Result {
        Err(Unsupported)
    }
    fn serialize_u64(self, _v: u64) -> Result {
        Err(Unsupported)
    }
    fn serialize_f32(self, _v: f32) -> Result {
        Err(Unsupported)
    }
    fn serialize_f64(self, _v: f64) -> Result {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result {
        Err(Unsupported)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

/// The bytes the fast path hashes, or `None` where it leaves the work to `serde_json`.
#[cfg(test)]
pub(crate) fn fast_json<T: Serialize + ?Sized>(value: &T) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    value.serialize(&mut Canonical { out: &mut out }).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    use fast_json as fast;

    fn same_as_serde_json<T: Serialize + ?Sized>(value: &T) {
        let expected = serde_json::to_vec(value).unwrap();
        let got = fast(value).expect("the fast path handles this");
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&expected));
        assert_eq!(sha256_of_json(value), <[u8; 32]>::from(Sha256::digest(&expected)));
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shapes {
        Unit,
        Newtype(String),
        Tuple(u8, i64),
        EmptyTuple(),
        Struct { a: Option<u32>, b: Vec<()> },
        EmptyStruct {},
    }

    #[derive(Serialize)]
    #[serde(tag = "kind")]
    enum Tagged {
        One { x: bool },
        Two,
    }

    #[derive(Serialize)]
    struct Wrapper(String);

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Skipping {
        #[serde(skip_serializing_if = "Option::is_none")]
        gone: Option<String>,
        #[serde(rename = "re\"named")]
        renamed: i128,
        #[serde(flatten)]
        extra: BTreeMap<String, u16>,
    }

    #[test]
    fn every_string_byte_escapes_like_serde_json() {
        let every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        same_as_serde_json(&every_ascii);
        same_as_serde_json("ä \"x\" \\ é\u{2028}\u{10ffff}\u{7f}");
        same_as_serde_json("");
        same_as_serde_json(&'\n');
        same_as_serde_json(&'é');
        // Longer than the buffer, escaped or not, alone or after other output.
        for long in ["x\"".repeat(CHUNK), "y".repeat(CHUNK * 2 + 3), "z".repeat(CHUNK - 1)] {
            same_as_serde_json(&long);
            same_as_serde_json(&(&long, vec![&long, &long], "a"));
        }
    }

    #[test]
    fn every_shape_writes_like_serde_json() {
        same_as_serde_json(&(true, false, (), Unit, Wrapper("w".into())));
        same_as_serde_json(&(i8::MIN, i16::MIN, i32::MIN, i64::MIN, i128::MIN, u128::MAX, u64::MAX, 0u8, 7u16, 9u32));
        same_as_serde_json(&vec![
            Shapes::Unit,
            Shapes::Newtype("n".into()),
            Shapes::Tuple(1, -2),
            Shapes::EmptyTuple(),
            Shapes::Struct { a: None, b: vec![(), ()] },
            Shapes::Struct { a: Some(3), b: Vec::new() },
            Shapes::EmptyStruct {},
        ]);
        same_as_serde_json(&[Tagged::One { x: true }, Tagged::Two]);
        same_as_serde_json(&Skipping { gone: None, renamed: -1, extra: BTreeMap::new() });
        let extra: BTreeMap<String, u16> = [("k\n".to_owned(), 1), ("z".to_owned(), 2)].into();
        same_as_serde_json(&Skipping { gone: Some("g".into()), renamed: 5, extra });
        let nested: BTreeMap<char, Vec<Option<bool>>> = [('a', vec![None, Some(true)]), ('b', vec![])].into();
        same_as_serde_json(&nested);
        same_as_serde_json(&BTreeMap::<String, ()>::new());
        same_as_serde_json(&Vec::<u8>::new());
        same_as_serde_json(&[[0u8; 0]; 2]);
    }

    #[test]
    fn what_is_not_mirrored_falls_back_to_serde_json() {
        let floats = (1.5f64, f32::NAN, 1e300f64);
        assert!(fast(&floats).is_none());
        let expected = Sha256::digest(serde_json::to_vec(&floats).unwrap());
        assert_eq!(sha256_of_json(&floats), <[u8; 32]>::from(expected));
        let int_keys: BTreeMap<i32, bool> = [(1, true), (-2, false)].into();
        assert!(fast(&int_keys).is_none());
        let expected = Sha256::digest(serde_json::to_vec(&int_keys).unwrap());
        assert_eq!(sha256_of_json(&int_keys), <[u8; 32]>::from(expected));
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_bytes(b"\x00\xff")
            }
        }
        assert!(fast(&Bytes).is_none());
        assert_eq!(sha256_of_json(&Bytes), <[u8; 32]>::from(Sha256::digest(b"[0,255]")));
    }

    #[test]
    fn the_word_wise_scan_finds_exactly_the_bytes_to_escape() {
        for len in 0..20 {
            for pos in 0..len {
                for byte in 0u8..=0x7f {
                    let mut text = vec![b'a'; len];
                    text[pos] = byte;
                    assert_eq!(needs_escape(&text), ESCAPE[usize::from(byte)] != 0, "{byte:#x} at {pos} of {len}");
                }
            }
        }
        // Multi-byte UTF-8 never needs escaping, wherever it falls in a word.
        for prefix in 0..8 {
            let text = format!("{}é\u{80}\u{7ff}\u{ffff}\u{10ffff}ü", "a".repeat(prefix));
            assert!(!needs_escape(text.as_bytes()));
        }
    }

    #[test]
    fn hex_is_lowercase_and_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }
}
