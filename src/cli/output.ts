/**
 * Buffered line output to stdout. Lines are encoded straight into a chunk buffer that is written
 * when full, so a long trace streams with bounded memory and no joined copy of every chunk;
 * backpressure is honoured by waiting for 'drain'.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export class LineWriter {
  private buf: Buffer;
  private size = 0;
  private pending: Promise<unknown> | null = null;

  constructor(private readonly out: Writable = process.stdout, private readonly chunk = 1 << 16) {
    this.buf = Buffer.allocUnsafe(chunk);
  }

  /** Queue one line (without its newline). */
  line = (s: string): void => {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit, plus the newline.
    if (this.size + s.length * 3 + 1 > this.chunk) {
      this.flushSync();
      if (s.length * 3 + 1 > this.chunk) {
        this.send(Buffer.from(s + '\n'));
        return;
      }
    }
    this.size += this.buf.write(s, this.size);
    this.buf[this.size++] = 0x0a;
  };

  private flushSync(): void {
    if (this.size === 0) return;
    // The stream keeps the chunk until it is written: the next lines go into a new one.
    const data = this.buf.subarray(0, this.size);
    this.buf = Buffer.allocUnsafe(this.chunk);
    this.size = 0;
    this.send(data);
  }

  private send(data: Buffer): void {
    if (!this.out.write(data) && !this.pending) {
      this.pending = once(this.out, 'drain').finally(() => (this.pending = null));
    }
  }

  /** Resolves when the output may take more (call between simulation slices). */
  async ready(): Promise<void> {
    if (this.pending) await this.pending;
  }

  async end(): Promise<void> {
    this.flushSync();
    await this.ready();
  }
}
