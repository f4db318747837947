/**
 * What a child process printed, held within a bound: its opening and its end.
 * A Go panic names its cause in the first line and then prints pages of
 * goroutine stacks; keeping only the end lost the cause (a port the CLI picked
 * for its HTTP API, taken before it bound it), so the start was neither
 * retried nor explained.
 */
export class KeptOutput {
  private head = '';
  private tail = '';
  private dropped = false;

  constructor(
    private readonly headChars = 4000,
    private readonly tailChars = 8000,
  ) {}

  add(chunk: string): void {
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    const joined = this.tail + chunk;
    if (joined.length > this.tailChars) this.dropped = true;
    this.tail = joined.slice(-this.tailChars);
  }

  text(): string {
    return this.dropped ? `${this.head}\n[…]\n${this.tail}` : this.head + this.tail;
  }
}
