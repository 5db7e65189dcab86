/** What the kit throws: a message that says what to fix (a missing setting, an error answer of the API with its code). */
export class LecternError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "LecternError";
  }
}
