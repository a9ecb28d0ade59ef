"""How many examples a property test runs, by the hypothesis settings profile (registered in tests/conftest.py).

`examples(n)` is n under the `ci` profile (the default) and ten times n under `deep`: a test names the count that is
enough for every run of the test command, and a deep run scales all of them alike.
"""

from __future__ import annotations

from hypothesis import settings

CI_EXAMPLES = 100  # the ci profile's max_examples (hypothesis' own default); a test without a count runs this many


def examples(n: int) -> int:
    return n * settings.default.max_examples // CI_EXAMPLES
