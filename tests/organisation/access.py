"""Access rules for the organisation app's pages."""

from tests.access import Rule, performance_only

RULES = {
    "organisation:audit_log": Rule(performance_only()),
    "organisation:audit_export": Rule(performance_only()),
}
