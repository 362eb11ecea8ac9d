/**
 * Buffered line output to stdout. Lines are encoded straight into a chunk buffer that is written
 * when full, so a long trace streams with bounded memory and no joined copy of every chunk;
 * backpressure is honoured by waiting for 'drain'. Lines never wait longer than FLUSH_MS (the
 * simulation calls ready() between slices), so a slow run's output appears as it is made, and
 * an interrupted run (Ctrl-C, a timeout's SIGTERM) still writes what it printed, as a killed Go
 * program's output is there up to where it stopped.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** The longest a queued line waits to be written. */
const FLUSH_MS = 100;

export class LineWriter {
  private buf: Buffer;
  private size = 0;
  private pending: Promise<unknown> | null = null;
  private flushedAt: number;

  constructor(private readonly out: Writable = process.stdout, private readonly chunk = 1 << 16, private readonly now = Date.now) {
    this.buf = Buffer.allocUnsafe(chunk);
    this.flushedAt = now();
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
    this.flushedAt = this.now();
    this.send(data);
  }

  private send(data: Buffer): void {
    if (!this.out.write(data) && !this.pending) {
      this.pending = once(this.out, 'drain').finally(() => (this.pending = null));
    }
  }

  /** Resolves when the output may take more (call between simulation slices). */
  async ready(): Promise<void> {
    if (this.now() - this.flushedAt >= FLUSH_MS) {
      if (this.size > 0) this.flushSync();
      this.flushedAt = this.now();
      // A turn of the event loop: resolved promises alone never let a signal's handler run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.pending) await this.pending;
  }

  /**
   * Until the returned function is called, SIGINT and SIGTERM write the queued lines and end the
   * process with 128 + the signal's number, as a shell reports a killed command. (Writes to a
   * pipe, file or terminal are synchronous on Linux: nothing queued in the stream is lost.)
   */
  flushOnInterrupt(): () => void {
    const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
      const handler = () => {
        this.flushSync();
        process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      };
      process.once(signal, handler);
      return () => process.off(signal, handler);
    });
    return () => handlers.forEach((off) => off());
  }

  async end(): Promise<void> {
    this.flushSync();
    await this.ready();
  }
}
