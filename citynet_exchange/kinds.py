"""The record kinds of a dataset and the key of each kind's list in the document."""

RECORD_KEYS: dict[str, str] = {
    "town": "towns",
    "network": "networks",
    "partnership": "partnerships",
    "membership": "memberships",
}
