/** wireframe/multipart: multipart/form-data and the small wire formats of web apps. */

/** Bad input: `code` is the error's name, `offset` the offending byte. */
export class FormError extends Error {
  readonly code: string;
  readonly errno: number;
  readonly offset: number;
}

/** The parser's callbacks; any may be missing. Buffers are views of the written chunk. */
export interface MultipartCallbacks {
  onPartBegin?: () => void;
  /** A piece of a header name. */
  onHeaderField?: (data: Buffer) => void;
  /** A piece of a header value. */
  onHeaderValue?: (data: Buffer) => void;
  onHeaderEnd?: () => void;
  onHeadersComplete?: () => void;
  /** A piece of part data (a view of the chunk, or of the delimiter). */
  onPartData?: (data: Buffer) => void;
  onPartEnd?: () => void;
  /** The close delimiter was read. */
  onEnd?: () => void;
}

export interface MultipartOptions extends MultipartCallbacks {
  /** Most parts per body (default 1000). */
  maxParts?: number;
  /** Most bytes of one part's header section (default 16384). */
  maxHeaderSize?: number;
  /** Most data bytes per part; 0 = no limit (default). */
  maxPartSize?: number;
  /** Most bytes before the first boundary (default 1024). */
  maxPreamble?: number;
  /** Most bytes after the close delimiter (default 1024). */
  maxEpilogue?: number;
}

export interface MultipartParser extends MultipartCallbacks {}

export class MultipartParser {
  constructor(boundary: Buffer | Uint8Array | string, options?: MultipartOptions);
  /** Parses the next chunk; returns its length. Throws FormError. */
  write(chunk: Buffer | Uint8Array | string): number;
  /** Ends the body; throws FormError when it was incomplete. */
  end(): void;
  /** Parts begun so far. */
  readonly parts: number;
}

type Bytes = Buffer | Uint8Array | string;

export function parseBoundary(contentType: Bytes): Buffer;
export function parseContentDisposition(value: Bytes): {
  type: Buffer;
  name: Buffer | null;
  filename: Buffer | null;
  filenameStar: Buffer | null;
  charset: Buffer | null;
};
export function parseQuery(query: Bytes): Array<[string, string]>;
export function percentDecode(input: Bytes, plusAsSpace?: boolean): Buffer;
export function parseCookies(header: Bytes): Array<[string, string]>;
export function decodeBasicAuth(value: Bytes): { user: Buffer; password: Buffer };
export function serializeSetCookie(
  name: Bytes,
  value: Bytes,
  options?: {
    domain?: Bytes;
    path?: Bytes;
    maxAge?: number;
    expires?: Date | number;
    secure?: boolean;
    httpOnly?: boolean;
    partitioned?: boolean;
    sameSite?: 'Strict' | 'Lax' | 'None' | 'strict' | 'lax' | 'none';
  },
): string;
