/** At most `slots` tasks run at once; the others wait their turn in order. */
export class Semaphore {
  #active = 0;
  #peak = 0;
  #started = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly slots: number) {}

  get active() {
    return this.#active;
  }

  get waiting() {
    return this.#waiting.length;
  }

  /** The most tasks that ever ran at once. */
  get peak() {
    return this.#peak;
  }

  /** How many tasks have started. */
  get started() {
    return this.#started;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.slots) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active += 1;
    this.#peak = Math.max(this.#peak, this.#active);
    this.#started += 1;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}
