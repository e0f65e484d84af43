/** A clock tests drive by hand (STYLE rule 7): pass `clock.now` where code takes `now: () => number`. */
export class FakeClock {
  constructor(public t = Date.UTC(2026, 10, 25, 10, 0, 0)) {}
  readonly now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
  iso(): string {
    return new Date(this.t).toISOString();
  }
}
