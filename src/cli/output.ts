/**
 * Buffered line output to stdout. Lines are collected into chunks and written as they fill, so a
 * long trace streams with bounded memory; backpressure is honoured by waiting for 'drain'.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export class LineWriter {
  private buf: string[] = [];
  private size = 0;
  private pending: Promise<unknown> | null = null;

  constructor(private readonly out: Writable = process.stdout, private readonly chunk = 1 << 16) {}

  /** Queue one line (without its newline). */
  line = (s: string): void => {
    this.buf.push(s);
    this.size += s.length + 1;
    if (this.size >= this.chunk) this.flushSync();
  };

  private flushSync(): void {
    if (this.buf.length === 0) return;
    const data = this.buf.join('\n') + '\n';
    this.buf = [];
    this.size = 0;
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
