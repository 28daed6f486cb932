//! WebSocket decoder, both roles: the same input decoded whole and in random pieces, with
//! random pauses, gives the same headers, payloads, frame ends, error, close code and error
//! offset, and the same unmasked bytes in the buffer.
//!
//! Input: 8 configuration bytes, then the frames.
//! - `c[0]`: bit 0 role (client), bits 1-5 decoder flags, bit 6 pause at random, bit 7 fail
//!   from a callback at random (planned per header and frame end, so both decodes fail alike).
//! - `c[1]`: maximum frame payload (0: none, else `c[1] * 4`); `c[2]`: maximum message size
//!   (0: default, else `c[2] * 8`); `c[3]`: maximum fragments (0: default).
//! - `c[4]`: cut mode; `c[5..8]`: seed.

use wireframe::ws::{
    Action, DecoderConfig, FrameDecoder, FrameEnd, FrameHeader, Handler, Role, WsError,
};

use crate::{cuts, take_config, Rng};

/// One logged event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A frame header.
    Header(FrameHeader),
    /// Payload bytes (adjacent pieces merged).
    Payload(Vec<u8>),
    /// A frame end.
    End(FrameEnd),
}

struct Log {
    entries: Vec<Entry>,
    plan_fail: Option<u64>,
    events: u64,
    pause_rng: Option<Rng>,
    paused: bool,
}

impl Log {
    fn after(&mut self, planned: bool) -> Action {
        if planned {
            let k = self.events;
            self.events += 1;
            if let Some(seed) = self.plan_fail {
                if Rng::new(seed ^ k.wrapping_mul(0x9E37_79B9)).one_in(24) {
                    return Action::Fail;
                }
            }
        }
        if let Some(r) = self.pause_rng.as_mut() {
            if r.one_in(4) {
                self.paused = true;
                return Action::Pause;
            }
        }
        Action::Continue
    }
}

impl Handler for Log {
    fn frame_header(&mut self, header: &FrameHeader) -> Action {
        self.entries.push(Entry::Header(*header));
        self.after(true)
    }
    fn payload(&mut self, data: &[u8]) -> Action {
        assert!(!data.is_empty(), "empty payload piece");
        match self.entries.last_mut() {
            Some(Entry::Payload(p)) => p.extend_from_slice(data),
            _ => self.entries.push(Entry::Payload(data.to_vec())),
        }
        self.after(false)
    }
    fn frame_complete(&mut self, end: &FrameEnd) -> Action {
        self.entries.push(Entry::End(*end));
        self.after(true)
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    entries: Vec<Entry>,
    error: WsError,
    error_offset: u64,
    close_code: u16,
    consumed: u64,
    buffer: Vec<u8>,
}

fn decode(
    config: DecoderConfig,
    input: &[u8],
    cuts: &[usize],
    plan_fail: Option<u64>,
    pause_rng: Option<Rng>,
) -> Outcome {
    let mut d = FrameDecoder::new(config);
    let mut log = Log {
        entries: Vec::new(),
        plan_fail,
        events: 0,
        pause_rng,
        paused: false,
    };
    let mut buf = input.to_vec();
    let mut start = 0;
    let mut rounds = 0usize;
    for end in cuts.iter().copied().chain([input.len()]) {
        let mut pos = start;
        // After a pause, decode is called again even with nothing left: the frame end may be
        // pending.
        loop {
            rounds += 1;
            assert!(rounds < 1_000_000, "no progress");
            log.paused = false;
            let n = d.decode(&mut buf[pos..end], &mut log);
            assert!(n <= end - pos);
            match d.error() {
                WsError::Ok => {
                    assert_eq!(n, end - pos, "stopped without an error");
                    break;
                }
                WsError::Paused => {
                    assert!(log.paused, "paused without a pause request");
                    assert_eq!(d.error_offset(), (pos + n) as u64, "pause offset");
                    pos += n;
                }
                e => {
                    assert_eq!(d.bytes_consumed(), (pos + n) as u64);
                    assert_eq!(d.decode(&mut buf[pos + n..end], &mut log), 0);
                    assert_eq!(d.error(), e, "error state changed");
                    assert_eq!(d.close_code(), e.close_code());
                    buf.truncate(pos + n);
                    return Outcome {
                        entries: log.entries,
                        error: e,
                        error_offset: d.error_offset(),
                        close_code: d.close_code(),
                        consumed: d.bytes_consumed(),
                        buffer: buf,
                    };
                }
            }
        }
        start = end;
    }
    assert_eq!(d.bytes_consumed(), input.len() as u64);
    Outcome {
        entries: log.entries,
        error: d.error(),
        error_offset: d.error_offset(),
        close_code: d.close_code(),
        consumed: d.bytes_consumed(),
        buffer: buf,
    }
}

/// The fuzz target.
pub fn check(data: &[u8]) {
    let (c, input) = take_config::<8>(data);
    let mut config = DecoderConfig::new(if c[0] & 1 != 0 {
        Role::Client
    } else {
        Role::Server
    });
    config.flags = (c[0] as u32 >> 1) & 31;
    config.max_frame_payload = c[1] as u64 * 4;
    if c[2] != 0 {
        config.max_message_size = c[2] as u64 * 8;
    }
    if c[3] != 0 {
        config.max_fragments = c[3] as u32;
    }
    let seed = u64::from_le_bytes([c[5], c[6], c[7], 0, 0, 0, 0, 0]);
    let plan = (c[0] & 0x80 != 0).then_some(seed);
    let whole = decode(config, input, &[], plan, None);
    if whole.error != WsError::Ok {
        assert!(whole.close_code != 0 || whole.error == WsError::CallbackError);
    }
    // Every frame end follows its header; payloads never exceed the header's length.
    let mut expect_len: Option<u64> = None;
    for e in &whole.entries {
        match e {
            Entry::Header(h) => {
                assert!(expect_len.is_none(), "header inside a frame");
                assert!(!h.opcode.is_reserved(), "reserved opcode delivered");
                expect_len = Some(h.payload_len);
            }
            Entry::Payload(p) => {
                let left = expect_len.as_mut().expect("payload outside a frame");
                assert!(
                    p.len() as u64 <= *left,
                    "payload longer than its header says"
                );
                *left -= p.len() as u64;
            }
            Entry::End(_) => {
                assert_eq!(expect_len, Some(0), "frame ended early");
                expect_len = None;
            }
        }
    }

    let mut rng = Rng::new(seed);
    let cut = cuts(&mut rng, input.len(), c[4]);
    let pauses = (c[0] & 0x40 != 0).then(|| Rng::new(rng.next_u64()));
    let split = decode(config, input, &cut, plan, pauses);
    assert_eq!(split, whole, "split decode differs; cuts {cut:?}");
}
