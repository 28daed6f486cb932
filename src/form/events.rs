//! The multipart events entry point: events recorded as rows of (kind, offset, length) into a
//! caller's array, so that a binding crosses the FFI once per read instead of once per span.

use super::multipart::{Action, Handler, MpEvent, MultipartParser};

/// One recorded event (`wf_mp_event`). For `PartData`, `HeaderField` and `HeaderValue`,
/// `offset` and `length` locate the bytes in the input of the call that recorded the row; for
/// `PartDataFromDelimiter` the bytes are the first `length` bytes of the delimiter
/// (`CR LF "--" boundary`) and `offset` is 0; other rows have both 0.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MpEventRow {
    /// The event (a `wf_mp_event_kind`).
    pub kind: u8,
    /// Offset of the bytes in the input.
    pub offset: usize,
    /// Number of bytes.
    pub length: usize,
}

/// Records events into `rows`, pausing the parser when the array is full.
struct Recorder<'a> {
    base: usize,
    rows: &'a mut [MpEventRow],
    count: usize,
    skip: u32,
}

impl Recorder<'_> {
    fn push(&mut self, kind: MpEvent, data: &[u8], stored: bool) -> Action {
        if self.skip & (1 << kind as u32) != 0 {
            return Action::Continue;
        }
        let (kind, offset) = if stored {
            (MpEvent::PartDataFromDelimiter, 0)
        } else {
            (kind, (data.as_ptr() as usize).wrapping_sub(self.base))
        };
        let offset = if data.is_empty() { 0 } else { offset };
        match self.rows.get_mut(self.count) {
            Some(slot) => {
                *slot = MpEventRow {
                    kind: kind as u8,
                    offset,
                    length: data.len(),
                };
                self.count += 1;
                if self.count == self.rows.len() {
                    Action::Pause
                } else {
                    Action::Continue
                }
            }
            None => Action::Pause,
        }
    }
}

impl Handler for Recorder<'_> {
    fn part_begin(&mut self) -> Action {
        self.push(MpEvent::PartBegin, &[], false)
    }
    fn header_field(&mut self, data: &[u8]) -> Action {
        self.push(MpEvent::HeaderField, data, false)
    }
    fn header_value(&mut self, data: &[u8]) -> Action {
        self.push(MpEvent::HeaderValue, data, false)
    }
    fn header_end(&mut self) -> Action {
        self.push(MpEvent::HeaderEnd, &[], false)
    }
    fn headers_complete(&mut self) -> Action {
        self.push(MpEvent::HeadersComplete, &[], false)
    }
    fn part_data(&mut self, data: &[u8], from_delimiter: bool) -> Action {
        self.push(MpEvent::PartData, data, from_delimiter)
    }
    fn part_end(&mut self) -> Action {
        self.push(MpEvent::PartEnd, &[], false)
    }
    fn end(&mut self) -> Action {
        self.push(MpEvent::End, &[], false)
    }
}

/// Parses `input` with `parser`, recording events into `rows` until the array is full or the
/// input is used up. `skip` is a bit set of event kinds not to record (bit `1 << kind`, e.g.
/// `1 << MpEvent::HeaderField as u32`; skipping `PartData` skips `PartDataFromDelimiter`
/// too): a binding without a callback for a kind saves its rows. Returns (bytes consumed,
/// rows recorded). When the array filled up the parser is `Paused`: call again with the rest
/// of the input (possibly empty) after reading the rows. An empty `rows` records nothing and
/// consumes nothing.
pub fn execute_events(
    parser: &mut MultipartParser,
    input: &[u8],
    rows: &mut [MpEventRow],
    skip: u32,
) -> (usize, usize) {
    if rows.is_empty() {
        return (0, 0);
    }
    let mut rec = Recorder {
        base: input.as_ptr() as usize,
        rows,
        count: 0,
        skip: if skip & (1 << MpEvent::PartData as u32) != 0 {
            skip | 1 << MpEvent::PartDataFromDelimiter as u32
        } else {
            skip
        },
    };
    let n = parser.execute(input, &mut rec);
    (n, rec.count)
}
