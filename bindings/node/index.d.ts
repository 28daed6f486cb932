// Type declarations for the `wireframe` package (index.js over the N-API addon).

/// <reference types="node" />

/** Bytes accepted by the encoder and handshake helpers. */
export type BytesLike = string | Buffer | ArrayBufferView | ArrayBuffer;

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

/** A message head, delivered once per message to onHeadersComplete. */
export interface HttpHead {
  /** Request method ('GET', 'M-SEARCH', ...); null for a response. */
  method: string | null;
  /** Request target as sent ('' for a response). */
  url: string;
  versionMajor: number;
  versionMinor: number;
  /** Headers in order, as received: [name, value, name, value, ...] (latin1 strings). */
  headers: string[];
  /** The message upgrades the connection (Upgrade + Connection: upgrade, CONNECT, 101). */
  upgrade: boolean;
  /** The connection may carry another message after this one. */
  shouldKeepAlive: boolean;
  /** Response status code (0 for a request). */
  statusCode: number;
  /** Response reason phrase ('' for a request). */
  statusMessage: string;
}

/** Leniency bits; each one reopens an attack that strict parsing stops (see docs/http.md). */
export declare const LENIENT: Readonly<{
  HEADERS: number;
  CHUNKED_LENGTH: number;
  KEEP_ALIVE: number;
  TRANSFER_ENCODING: number;
  VERSION: number;
  DATA_AFTER_CLOSE: number;
  OPTIONAL_LF_AFTER_CR: number;
  OPTIONAL_CRLF_AFTER_CHUNK: number;
  OPTIONAL_CR_BEFORE_LF: number;
  SPACES_AFTER_CHUNK_SIZE: number;
  DUPLICATE_CONTENT_LENGTH: number;
  OBS_FOLD: number;
  SPACE_BEFORE_COLON: number;
  HEADER_VALUE_RELAXED: number;
  URL_NON_ASCII: number;
  ALL: number;
}>;

/** onHeadersComplete's answer: no body follows (the response to HEAD). */
export declare const SKIP_BODY: 1;
/** onHeadersComplete's answer: no body follows and the connection is upgraded. */
export declare const SKIP_BODY_UPGRADE: 2;

export interface HttpParserOptions {
  /** The whole head of each message; may return SKIP_BODY / true or SKIP_BODY_UPGRADE. */
  onHeadersComplete?: (this: HttpParser, head: HttpHead) => void | boolean | number;
  /** A piece of the body (chunked framing removed): a view of the buffer given to execute(). */
  onBody?: (this: HttpParser, chunk: Buffer) => void;
  /** The message is complete; trailers as [name, value, ...], or undefined when there were none. */
  onMessageComplete?: (this: HttpParser, trailers: string[] | undefined) => void;
  /** LENIENT bits (default 0: strict). */
  lenient?: number;
  /** Maximum bytes of start line + headers, and of trailers (0: the default, 80 KiB). */
  maxHeaderSize?: number;
  /** Maximum chunk-extension bytes per message (0: the default, 16 KiB). */
  maxChunkExtensionsSize?: number;
}

/** Error thrown by HttpParser.execute() / finish() for malformed input. */
export interface HttpParseError extends Error {
  /** The core's error name, e.g. 'HPE_INVALID_METHOD', 'HPE_HEADER_OVERFLOW'. */
  code: string;
  /** Why, in words. */
  reason: string;
  /** Offset of the offending byte in the buffer given to execute() (absent for finish()). */
  offset?: number;
}

/** The parser's state, as state() reports it. */
export interface HttpParserState {
  /** The core's errno name ('HPE_OK', 'HPE_PAUSED', 'HPE_PAUSED_UPGRADE', or an error). */
  code: string;
  paused: boolean;
  upgraded: boolean;
  upgradeOffset: number;
  /** Stopped on the HTTP/2 connection preface (PRI * HTTP/2.0). */
  h2Preface: boolean;
  /** The current response lasts until EOF: call finish() when the connection closes. */
  messageNeedsEof: boolean;
  /** 0 both, 1 request, 2 response. */
  type: number;
}

/** A streaming HTTP/1.x parser (one per connection). */
export declare class HttpParser {
  static readonly REQUEST: 1;
  static readonly RESPONSE: 2;
  static readonly BOTH: 0;
  static readonly SKIP_BODY: 1;
  static readonly SKIP_BODY_UPGRADE: 2;
  static readonly LENIENT: typeof LENIENT;

  constructor(type?: 'request' | 'response' | 'both' | 0 | 1 | 2, options?: HttpParserOptions);

  onHeadersComplete?: HttpParserOptions['onHeadersComplete'];
  onBody?: HttpParserOptions['onBody'];
  onMessageComplete?: HttpParserOptions['onMessageComplete'];

  /**
   * Parses `data`; returns the bytes consumed: data.length, or less when paused (resume() and
   * call again with the rest) or upgraded (the rest belongs to the new protocol). Throws an
   * HttpParseError on malformed input; the error is sticky until reset().
   */
  execute(data: Uint8Array): number;
  /** End of input: completes a response read until EOF, or throws HPE_INVALID_EOF_STATE. */
  finish(): void;
  /** Pauses (inside a callback: right after that event). */
  pause(): void;
  /** Ends a pause. */
  resume(): void;
  /** After an upgrade that was refused: go on parsing HTTP. */
  resumeAfterUpgrade(): void;
  /** Ready for a new connection; keeps type, leniency and limits. */
  reset(): void;
  setLenientFlags(flags: number): void;
  setMaxHeaderSize(size: number): void;
  setMaxChunkExtensionsSize(size: number): void;
  state(): HttpParserState;
  readonly paused: boolean;
  readonly upgraded: boolean;
  /** Offset of the first upgraded byte in the buffer of the execute() that upgraded; -1 if none. */
  readonly upgradeOffset: number;
}

/** Method names indexed by method number (llhttp's numbering). */
export declare const METHODS: readonly string[];
/** The reason phrase of a status code ('<unknown>' when the table lacks it). */
export declare function statusText(code: number): string;

/** Parts of a URL split as http_parser_parse_url does; absent parts are omitted. */
export interface ParsedUrl {
  schema?: string;
  host?: string;
  port?: string;
  path?: string;
  query?: string;
  fragment?: string;
  userinfo?: string;
  portNumber?: number;
}
/** Splits a URL (isConnect: CONNECT's host:port form); null when malformed. */
export declare function parseUrl(url: string, isConnect?: boolean): ParsedUrl | null;

// ---------------------------------------------------------------------------------------------
// WebSocket
// ---------------------------------------------------------------------------------------------

export declare const OPCODES: Readonly<{
  CONTINUATION: 0; TEXT: 1; BINARY: 2; CLOSE: 8; PING: 9; PONG: 10;
}>;

export type Opcode = number | 'continuation' | 'text' | 'binary' | 'close' | 'ping' | 'pong';

/** A frame, as onFrame gets it in frame mode. */
export interface Frame {
  opcode: number;
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  masked: boolean;
  /** Unmasked payload. */
  payload: Buffer;
  /** For a close frame, its code (1005 when the payload is empty); 0 otherwise. */
  closeCode: number;
}

export interface DecoderOptions {
  /** 'server' (default): decode a client's frames, which must be masked; 'client': none may be. */
  role?: 'server' | 'client';
  /** Maximum payload of one frame (default 0: no limit). */
  maxFramePayload?: number;
  /** Maximum size of one message (default 100 MiB; 0: no limit). */
  maxMessageSize?: number;
  /** Maximum frames in one message (default 65536; 0: no limit). */
  maxFragments?: number;
  /** Accept RSV1 on a message's first frame (permessage-deflate negotiated). */
  allowRsv1?: boolean;
  allowRsv2?: boolean;
  allowRsv3?: boolean;
  /** Accept non-minimal length encodings. */
  lenientLength?: boolean;
  /** Do not validate UTF-8 in text messages. */
  skipUtf8?: boolean;
  /** One onFrame call per frame instead of whole messages. */
  frames?: boolean;
  onMessage?: (this: Decoder, data: Buffer, isBinary: boolean, compressed: boolean) => void;
  onPing?: (this: Decoder, payload: Buffer) => void;
  onPong?: (this: Decoder, payload: Buffer) => void;
  onClose?: (this: Decoder, code: number, reason: Buffer) => void;
  onFrame?: (this: Decoder, frame: Frame) => void;
}

/** Error thrown by Decoder.decode() for a protocol violation. */
export interface WebSocketError extends Error {
  /** The core's error name, e.g. 'WF_WS_ERR_INVALID_UTF8'. */
  code: string;
  reason: string;
  /** The close code to send: 1002, 1007, 1009 (or 1011 after a callback failed). */
  closeCode: number;
  /** Stream offset (bytes since the decoder started) of the offending byte. */
  offset: number;
}

/** A streaming WebSocket frame decoder (one per connection). */
export declare class Decoder {
  constructor(options?: DecoderOptions);
  onMessage?: DecoderOptions['onMessage'];
  onPing?: DecoderOptions['onPing'];
  onPong?: DecoderOptions['onPong'];
  onClose?: DecoderOptions['onClose'];
  onFrame?: DecoderOptions['onFrame'];
  /**
   * Decodes `data`, unmasking payload bytes in place in `data`; returns data.length. Throws a
   * WebSocketError on a protocol violation (sticky until reset()).
   */
  decode(data: Uint8Array): number;
  /** Back to the start of a stream with the same options. */
  reset(): void;
  /** A fragmented message is in progress. */
  inMessage(): boolean;
}

export interface FrameOptions {
  /** FIN (default true). */
  fin?: boolean;
  rsv1?: boolean;
  /** true: a random key; or the 4 key bytes. Omitted: unmasked. */
  mask?: boolean | Uint8Array;
}

/** A whole frame (header and payload, masked when asked). */
export declare function encodeFrame(opcode: Opcode, payload?: BytesLike, options?: FrameOptions): Buffer;
/** Only a frame header (2 to 14 bytes) for `length` payload bytes. */
export declare function encodeHeader(opcode: Opcode, length: number,
  options?: FrameOptions & { rsv2?: boolean; rsv3?: boolean }): Buffer;
/** A close frame; no code: an empty close payload. */
export declare function encodeClose(code?: number, reason?: BytesLike, options?: { mask?: boolean | Uint8Array }): Buffer;
export declare function encodePing(payload?: BytesLike, options?: { mask?: boolean | Uint8Array }): Buffer;
export declare function encodePong(payload?: BytesLike, options?: { mask?: boolean | Uint8Array }): Buffer;

/** The close code table. */
export declare function closeCodeInfo(code: number): { name: string; description: string; mayBeSent: boolean };

// ---------------------------------------------------------------------------------------------
// Handshake
// ---------------------------------------------------------------------------------------------

export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number;
  clientMaxWindowBitsPresent: boolean;
  clientMaxWindowBits: number;
}

export interface HandshakeResult {
  ok: boolean;
  /** null, or the rule that failed, e.g. 'WF_WS_ERR_HANDSHAKE_KEY'. */
  error: string | null;
  reason: string;
  /** Server: the answer's status (101, 400, 426); client: the status received. */
  status: number;
  protocol: string | null;
  deflate: boolean;
  deflateParams: DeflateParams | null;
}

export interface ServerHandshakeResult extends HandshakeResult {
  acceptKey: string;
  /** The 101 response, or the 400 / 426 refusal: write it as is. */
  response: Buffer;
}

export type Headers = string[] | Record<string, string | string[] | undefined>;

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key. */
export declare function acceptKey(key: string): string;

/** Validates an upgrade request (e.g. the head from HttpParser) and writes the answer. */
export declare function serverHandshake(
  request: { method?: string; versionMajor?: number; versionMinor?: number; headers: Headers },
  options?: { protocols?: string | string[]; permessageDeflate?: boolean },
): ServerHandshakeResult;

export interface ClientHandshake {
  /** The upgrade request to send. */
  request: Buffer;
  /** The Sec-WebSocket-Key sent. */
  key: string;
  /** Validates the server's response. */
  validate(statusCode: number, headers: Headers): HandshakeResult;
}

/** A client's opening handshake. */
export declare function clientHandshake(options: {
  host: string;
  path?: string;
  protocols?: string | string[];
  extensions?: string | string[];
  headers?: Headers;
  /** 16 bytes; random by default. */
  nonce?: Uint8Array;
}): ClientHandshake;

// ---------------------------------------------------------------------------------------------
// bufferutil-compatible masking
// ---------------------------------------------------------------------------------------------

/** output[offset + i] = source[i] ^ mask[i & 3] for i < length (bufferutil's mask). */
export declare function mask(source: Uint8Array, mask: Uint8Array, output: Uint8Array, offset: number, length: number): void;
/** buffer[i] ^= mask[i & 3] for every byte, in place (bufferutil's unmask). */
export declare function unmask(buffer: Uint8Array, mask: Uint8Array): void;
