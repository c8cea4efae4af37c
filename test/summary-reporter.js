// Prints one plain closing line ("N passed, N failed, N skipped") after jest's own summary,
// so a reader of the log (and CI) sees the totals without parsing jest's formatting.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(
      `\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
