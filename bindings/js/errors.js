// BallastError: the one exception the package throws. It means the call itself was invalid
// (tier 1 in DESIGN.md); how a solve ended (infeasible, max-iterations, ...) is returned as
// data and never thrown. `code` is one of the engine's kebab-case status names; the wrapper
// passes it through as the engine wrote it and keeps no table of its own.

export class BallastError extends Error {
  /**
   * @param {string} code    engine status name, e.g. 'invalid-shape', 'non-finite'
   * @param {string} message what was wrong, in words
   * @param {string} field   path into the request, e.g. 'prices[3][1]'; '' for the whole request
   */
  constructor(code, message, field = '') {
    super(message);
    this.name = 'BallastError';
    this.code = code;
    this.field = field;
  }

  toJSON() {
    return { code: this.code, message: this.message, field: this.field };
  }
}
