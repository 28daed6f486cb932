//! `Decoder.feed` for `wireframe.ws`: one call decodes a buffer with the core's
//! [`FrameDecoder`] and builds the `Frame` or `Message` objects it completes.

use core::ffi::c_int;
use core::ptr::null_mut;

use wireframe::ws::{Action, FrameDecoder, FrameEnd, FrameHeader, Handler, Opcode, WsError};

/// The C ABI's `wf_ws_decoder` (a user pointer, then the decoder), laid out the same, so that
/// the package's `wf_ws_decoder_*` calls (through libwireframe.so) and this library work on
/// the same memory.
#[repr(C)]
pub struct WsDecoder {
    /// The user pointer (unused here).
    pub data: *mut core::ffi::c_void,
    /// The core's decoder.
    pub state: FrameDecoder,
}

use crate::capi::*;
use crate::globals;

/// The per-decoder state, in memory the Python object owns (a ctypes array of
/// `wfpy_ws_state_size()` bytes). The decoder comes first, so the binding calls `wf_ws_*` on
/// the same address. Plain data: nothing to free.
#[repr(C)]
pub struct WsState {
    /// The core's decoder, as C sees it.
    pub decoder: WsDecoder,
    /// 1: whole messages; 0: every frame.
    pub messages: u8,
    /// RSV1-3 of the frame in progress (bits 0-2).
    rsv: u8,
    /// RSV1 of the first frame of the data message in progress.
    compressed: u8,
    /// 1 during `feed` (a feed of the same decoder from a finalizer run meanwhile is refused).
    busy: u8,
    /// Payload pieces (in the pieces list) that belong to earlier frames of the data message
    /// in progress; the later ones belong to the frame in progress.
    frame_start: u32,
}

const CTX_ADDR: isize = 0;
const CTX_PIECES: isize = 1;
/// A bytearray the input is copied into to be unmasked, kept from call to call (a fresh
/// buffer per call of a large input costs page faults).
const CTX_SCRATCH: isize = 2;

struct Decode {
    messages: bool,
    rsv: u8,
    compressed: u8,
    frame_start: usize,
    /// Payload pieces carried over (bytes objects), a list.
    pieces: *mut PyObject,
    /// The first piece of the frame in progress in this call, a slice of the input copy.
    cur: Option<(*const u8, usize)>,
    /// Where the results go (a list).
    out: *mut PyObject,
    /// On the fast path, the bytes object the frame's payload is being decoded in (NULL
    /// otherwise): a piece that is all of it is handed out as it is, not copied.
    fresh: *mut PyObject,
    /// A Python call failed (an exception is set).
    failed: bool,
}

impl Decode {
    fn pieces_len(&self) -> usize {
        // SAFETY: GIL held; `pieces` is a list.
        unsafe { PyList_Size(self.pieces) as usize }
    }

    /// The current slice as a new reference to a bytes object: the fast path's object when
    /// the slice is all of it, else a copy.
    fn take_cur(&mut self) -> *mut PyObject {
        let Some((p, n)) = self.cur.take() else {
            return bytes(b"");
        };
        // SAFETY: GIL held; `fresh` is NULL or a bytes object the feed owns; the slice points
        // into it or into this call's copy of the input.
        unsafe {
            if !self.fresh.is_null()
                && p == PyBytes_AsString(self.fresh).cast::<u8>().cast_const()
                && n == PyBytes_Size(self.fresh) as usize
            {
                Py_IncRef(self.fresh);
                return self.fresh;
            }
            bytes(core::slice::from_raw_parts(p, n))
        }
    }

    /// Moves the current slice, if any, into the pieces list.
    fn spill(&mut self) -> bool {
        if self.cur.is_none() {
            return true;
        }
        let b = self.take_cur();
        if b.is_null() {
            return false;
        }
        // SAFETY: GIL held; `b` is released after the list took its own reference.
        unsafe {
            let r = PyList_Append(self.pieces, b);
            Py_DecRef(b);
            r == 0
        }
    }

    /// The payload from piece `from` on plus the current slice, as one new bytes object; the
    /// pieces from `from` on are removed.
    fn join_from(&mut self, from: usize) -> *mut PyObject {
        let count = self.pieces_len();
        if count == from {
            return self.take_cur();
        }
        // SAFETY: GIL held; the list holds bytes objects only (this module puts them there);
        // the new object is filled before anyone else sees it.
        unsafe {
            let cur = self
                .cur
                .take()
                .map_or(&[][..], |(p, n)| core::slice::from_raw_parts(p, n));
            let mut total = cur.len();
            for i in from..count {
                total += PyBytes_Size(PyList_GetItem(self.pieces, i as isize)) as usize;
            }
            let out = PyBytes_FromStringAndSize(core::ptr::null(), total as isize);
            if out.is_null() {
                return out;
            }
            let mut dst = PyBytes_AsString(out).cast::<u8>();
            for i in from..count {
                let piece = PyList_GetItem(self.pieces, i as isize);
                let n = PyBytes_Size(piece) as usize;
                core::ptr::copy_nonoverlapping(PyBytes_AsString(piece).cast::<u8>(), dst, n);
                dst = dst.add(n);
            }
            core::ptr::copy_nonoverlapping(cur.as_ptr(), dst, cur.len());
            if PyList_SetSlice(self.pieces, from as isize, count as isize, null_mut()) != 0 {
                Py_DecRef(out);
                return null_mut();
            }
            out
        }
    }

    /// Appends `tuple.__new__(cls, items)` to the results; takes over `items`' references
    /// (any may be NULL after a failed allocation: then nothing is appended).
    fn emit(&mut self, cls: usize, items: &[*mut PyObject]) -> bool {
        // SAFETY: GIL held; every reference in `items` is owned and handed to the tuple (or
        // released on failure).
        unsafe {
            if items.iter().any(|o| o.is_null()) {
                for &o in items {
                    xdecref(o);
                }
                return false;
            }
            let args = PyTuple_New(items.len() as isize);
            if args.is_null() {
                for &o in items {
                    Py_DecRef(o);
                }
                return false;
            }
            for (i, &o) in items.iter().enumerate() {
                PyTuple_SetItem(args, i as isize, o);
            }
            let obj = PyObject_CallFunctionObjArgs(
                globals::get(globals::TUPLE_NEW),
                globals::get(cls),
                args,
                null_mut::<PyObject>(),
            );
            Py_DecRef(args);
            if obj.is_null() {
                return false;
            }
            let r = PyList_Append(self.out, obj);
            Py_DecRef(obj);
            r == 0
        }
    }

    fn complete(&mut self, end: &FrameEnd) -> bool {
        let opcode = end.opcode as u8;
        let rsv = core::mem::take(&mut self.rsv);
        let long = |v: u16| {
            // SAFETY: GIL held.
            unsafe { PyLong_FromLong(v.into()) }
        };
        let flag = |v: bool| {
            let b = boolean(v);
            // SAFETY: GIL held; the reference is handed to a tuple.
            unsafe { Py_IncRef(b) };
            b
        };
        if !self.messages {
            let payload = self.join_from(0);
            return self.emit(
                globals::WS_FRAME,
                &[
                    long(opcode.into()),
                    payload,
                    flag(end.fin),
                    flag(rsv & 1 != 0),
                    flag(rsv & 2 != 0),
                    flag(rsv & 4 != 0),
                    long(end.close_code),
                ],
            );
        }
        if opcode >= Opcode::Close as u8 {
            // A control frame: a whole message, even between the fragments of another.
            let payload = self.join_from(self.frame_start);
            return self.emit(
                globals::WS_MESSAGE,
                &[
                    long(opcode.into()),
                    payload,
                    long(end.close_code),
                    flag(rsv & 1 != 0),
                ],
            );
        }
        if opcode != Opcode::Continuation as u8 {
            self.compressed = rsv & 1;
        }
        if end.message_end {
            let data = self.join_from(0);
            self.frame_start = 0;
            return self.emit(
                globals::WS_MESSAGE,
                &[
                    long((end.message_opcode as u8).into()),
                    data,
                    long(0),
                    flag(self.compressed != 0),
                ],
            );
        }
        let ok = self.spill();
        self.frame_start = self.pieces_len();
        ok
    }
}

fn act(ok: bool) -> Action {
    if ok {
        Action::Continue
    } else {
        Action::Fail
    }
}

impl Handler for Decode {
    fn frame_header(&mut self, header: &FrameHeader) -> Action {
        self.rsv = header.rsv1 as u8 | (header.rsv2 as u8) << 1 | (header.rsv3 as u8) << 2;
        Action::Continue
    }

    fn payload(&mut self, data: &[u8]) -> Action {
        if self.cur.is_none() {
            self.cur = Some((data.as_ptr(), data.len()));
            return Action::Continue;
        }
        let ok = self.spill();
        self.cur = Some((data.as_ptr(), data.len()));
        act(ok)
    }

    fn frame_complete(&mut self, end: &FrameEnd) -> Action {
        let ok = self.complete(end);
        self.failed |= !ok;
        act(ok)
    }
}

/// Frames with at least this many payload bytes, whole in the input at a frame boundary, take
/// the fast path.
const FAST_MIN: usize = 2048;

/// The header length and payload length of the frame starting at `data[0]`, when its header
/// is whole in `data`. This only decides where to split the input; the core decodes and
/// checks the header itself.
fn peek_header(data: &[u8]) -> Option<(usize, u64)> {
    let b1 = *data.get(1)?;
    let (ext, len7) = match b1 & 0x7f {
        126 => (2, None),
        127 => (8, None),
        n => (0, Some(u64::from(n))),
    };
    let hlen = 2 + ext + if b1 & 0x80 != 0 { 4 } else { 0 };
    let head = data.get(..hlen)?;
    let plen = match len7 {
        Some(n) => n,
        None => head[2..2 + ext]
            .iter()
            .fold(0u64, |a, &b| a << 8 | u64::from(b)),
    };
    Some((hlen, plen))
}

/// Decodes, from the start of `input`, the frames whose payload is large and whole in the
/// input, each directly in the bytes object that will carry its payload: the header is
/// decoded from a copy on the stack, then the masked payload is copied into a new bytes
/// object, which the core unmasks and checks in place. So each payload byte is moved once
/// and unmasked once (the general path copies it into the scratch buffer, unmasks it there,
/// then copies it out). Stops at the first frame that does not qualify, at an error, or at
/// a Python failure (`d.failed`); returns how many bytes of `input` it decoded.
fn fast_frames(dec: &mut FrameDecoder, input: &[u8], d: &mut Decode) -> usize {
    let mut pos = 0;
    while dec.at_frame_boundary() && dec.error() == WsError::Ok && !d.failed {
        let rest = input.get(pos..).unwrap_or_default();
        let Some((hlen, plen)) = peek_header(rest) else {
            break;
        };
        let Ok(plen) = usize::try_from(plen) else {
            break;
        };
        if plen < FAST_MIN || rest.len() - hlen < plen {
            break;
        }
        let mut head = [0u8; 14];
        head[..hlen].copy_from_slice(&rest[..hlen]);
        if dec.decode(&mut head[..hlen], d) != hlen || dec.error() != WsError::Ok {
            return pos + hlen;
        }
        // SAFETY: GIL held; the new bytes object is filled and decoded in before anyone else
        // sees it, and released here (the handler takes its own reference if it keeps it).
        unsafe {
            let fresh = PyBytes_FromStringAndSize(core::ptr::null(), plen as isize);
            if fresh.is_null() {
                d.failed = true;
                return pos + hlen;
            }
            let payload =
                core::slice::from_raw_parts_mut(PyBytes_AsString(fresh).cast::<u8>(), plen);
            payload.copy_from_slice(&rest[hlen..hlen + plen]);
            d.fresh = fresh;
            dec.decode(payload, d);
            // The frame is complete unless an error stopped it: then its piece is kept (as a
            // reference or a copy) before the object goes.
            if !d.spill() {
                d.failed = true;
            }
            d.fresh = null_mut();
            Py_DecRef(fresh);
        }
        pos += hlen + plen;
    }
    pos
}

/// Raises `WebSocketError(errno, code, offset, events)`.
///
/// # Safety
/// GIL held; `events` is a list.
unsafe fn raise_error(errno: u32, code: u16, offset: u64, events: *mut PyObject) {
    // SAFETY: GIL held; the references made here are released.
    unsafe {
        let cls = globals::get(globals::WS_ERROR);
        let args = [
            PyLong_FromSize_t(errno as usize),
            PyLong_FromLong(code.into()),
            PyLong_FromSize_t(offset as usize),
        ];
        let exc = if args.iter().any(|a| a.is_null()) {
            null_mut()
        } else {
            PyObject_CallFunctionObjArgs(
                cls,
                args[0],
                args[1],
                args[2],
                events,
                null_mut::<PyObject>(),
            )
        };
        for a in args {
            xdecref(a);
        }
        if !exc.is_null() {
            PyErr_SetObject(cls, exc);
            Py_DecRef(exc);
        }
    }
}

/// `Decoder.feed(data)`: decodes `data`, appending what it completes to `out`; 0, or -1 with
/// an exception set (`WebSocketError` when the input breaks the protocol).
///
/// # Safety
/// GIL held; `ctx` is the context tuple the binding made for this decoder; `out` a list.
pub unsafe fn feed(ctx: *mut PyObject, data: *mut PyObject, out: *mut PyObject) -> c_int {
    // SAFETY: GIL held; the context tuple keeps its items alive for the call; the state's
    // address is that of the live ctypes array the decoder object owns (it holds the tuple).
    unsafe {
        let state = PyLong_AsVoidPtr(PyTuple_GetItem(ctx, CTX_ADDR)).cast::<WsState>();
        if state.is_null() {
            return -1;
        }
        let state = &mut *state;
        if state.busy != 0 {
            PyErr_SetString(
                PyExc_RuntimeError,
                c"Decoder.feed called during a feed of the same decoder".as_ptr(),
            );
            return -1;
        }
        let Some((owner, input)) = input(data) else {
            return -1;
        };
        let mut d = Decode {
            messages: state.messages != 0,
            rsv: state.rsv,
            compressed: state.compressed,
            frame_start: state.frame_start as usize,
            pieces: PyTuple_GetItem(ctx, CTX_PIECES),
            cur: None,
            out,
            fresh: null_mut(),
            failed: false,
        };
        state.busy = 1;
        let pos = fast_frames(&mut state.decoder.state, input, &mut d);
        let rest = input.get(pos..).unwrap_or_default();
        if !d.failed && !rest.is_empty() && state.decoder.state.error() == WsError::Ok {
            // The core unmasks in place: never in the caller's buffer, in the scratch
            // bytearray.
            let scratch = PyTuple_GetItem(ctx, CTX_SCRATCH);
            if scratch.is_null() || PyByteArray_Resize(scratch, rest.len() as isize) != 0 {
                state.busy = 0;
                Py_DecRef(owner);
                return -1;
            }
            let buf = core::slice::from_raw_parts_mut(
                PyByteArray_AsString(scratch).cast::<u8>(),
                rest.len(),
            );
            buf.copy_from_slice(rest);
            state.decoder.state.decode(buf, &mut d);
        }
        state.busy = 0;
        Py_DecRef(owner);
        if d.failed {
            return -1;
        }
        // A frame still in progress keeps its piece for the next call.
        if !d.spill() {
            return -1;
        }
        state.rsv = d.rsv;
        state.compressed = d.compressed;
        state.frame_start = d.frame_start as u32;
        let dec = &state.decoder.state;
        match dec.error() {
            WsError::Ok | WsError::Paused => 0,
            e => {
                raise_error(e as u32, dec.close_code(), dec.error_offset(), out);
                -1
            }
        }
    }
}
