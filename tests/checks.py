"""The pass/fail counter the Python tests share: check() counts and names a
failure, totals() prints the closing "N passed, N failed" line (the one CI
reads) and returns the exit status."""
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}")
    return cond


def totals():
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
