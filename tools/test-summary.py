"""Print one table of test results from the .trx files of dotnet test and pytest's JUnit XML.

Usage: test-summary.py RESULTS_DIR. The last line reads 'Tests: N passed, N failed, N skipped'.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

TRX_NAMESPACE = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


@dataclass
class Counts:
    suite: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0


def read_trx(path: Path) -> Counts | None:
    """Read one project's counts; None for a project that has no tests yet."""
    root = ET.parse(path).getroot()
    definition = root.find(f"{TRX_NAMESPACE}TestDefinitions/{TRX_NAMESPACE}UnitTest")
    if definition is None:
        return None
    method = definition.find(f"{TRX_NAMESPACE}TestMethod")
    code_base = method.get("codeBase") if method is not None else None
    counts = Counts(Path(code_base or definition.get("storage", path.stem)).stem)
    # Counted per result because the summary counters leave skipped tests out of every bucket.
    for result in root.iter(f"{TRX_NAMESPACE}UnitTestResult"):
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            counts.passed += 1
        elif outcome == "NotExecuted":
            counts.skipped += 1
        else:
            counts.failed += 1
    return counts


def read_junit(path: Path) -> Counts:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts = Counts("pytest (training)")
    for suite in suites:
        total = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        counts.failed += failed
        counts.skipped += skipped
        counts.passed += total - failed - skipped
    return counts


def main(results_dir: Path) -> int:
    rows = [row for path in sorted(results_dir.glob("*.trx")) if (row := read_trx(path)) is not None]
    rows += [read_junit(path) for path in sorted(results_dir.glob("*.xml"))]
    if not rows:
        print(f"No test results found in {results_dir}.")
        return 1

    width = max(len(row.suite) for row in rows)
    print()
    print(f"{'suite':<{width}}  passed  failed  skipped")
    for row in rows:
        print(f"{row.suite:<{width}}  {row.passed:>6}  {row.failed:>6}  {row.skipped:>7}")
    passed = sum(row.passed for row in rows)
    failed = sum(row.failed for row in rows)
    skipped = sum(row.skipped for row in rows)
    print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
