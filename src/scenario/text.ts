/**
 * Turning input bytes into text, refusing what is clearly not a program: empty files and
 * binary data (NUL bytes, invalid UTF-8). Both front ends rely on it so that a wrong file
 * (an image, a compiled binary) gives one clear line instead of a confusing parse error.
 */
import { InputError, type SourcePos } from '../program/model.js';

/** 1-based line and column of a string index (columns count UTF-16 units, like the parsers). */
export function posOfIndex(source: string, index: number, file: string): SourcePos {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < index; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, col: index - lineStart + 1 };
}

/** Refuses empty text and NUL bytes; `what` says what the file should have held. */
export function checkText(source: string, file: string, what: string): void {
  if (source.trim() === '') throw new InputError(`empty file: expected ${what}`, { file, line: 1, col: 1 });
  const nul = source.indexOf('\0');
  if (nul >= 0) {
    throw new InputError(`binary data (NUL byte) in file: expected ${what}`, posOfIndex(source, nul, file));
  }
}

/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let n: number; // continuation bytes
    let min: number; // smallest code point for this length (refuses overlong forms)
    if (b < 0x80) { i++; continue; }
    else if (b >= 0xc2 && b <= 0xdf) { n = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { n = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { n = 3; min = 0x10000; }
    else return i;
    if (i + n >= buf.length) return i; // truncated sequence at the end
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Decodes a file's bytes as UTF-8 (a leading BOM is dropped), refusing invalid sequences. */
export function decodeText(buf: Uint8Array, file: string, what: string): string {
  const bad = firstInvalidUtf8(buf);
  if (bad >= 0) {
    const before = new TextDecoder('utf-8').decode(buf.subarray(0, bad));
    const hex = buf[bad].toString(16).padStart(2, '0');
    throw new InputError(`binary data (invalid UTF-8 byte 0x${hex}) in file: expected ${what}`,
      posOfIndex(before, before.length, file));
  }
  return new TextDecoder('utf-8').decode(buf);
}
