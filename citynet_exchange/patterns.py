"""The forms of the standard's text fields, as regular expressions (the model's and the schema's).

Every pattern ends in `(?!\\n)$`: Python's `$` also matches before a final newline, the
ECMA 262 `$` of JSON Schema does not, and "DE\\n" must fail in both. Kept apart from the
model so that the structural checks can name the forms without building the model.
"""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.~-]*(?!\n)$"
LANGUAGE_TAG_PATTERN = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*(?!\n)$"
URL_PATTERN = r"^https?://[^\s]+(?!\n)$"
EXTENSION_NAME_PATTERN = r"^[a-z][a-z0-9_-]*(?!\n)$"
COUNTRY_PATTERN = r"^[A-Z]{2}(?!\n)$"
SUBDIVISION_PATTERN = r"^[A-Z]{2}-[A-Z0-9]{1,3}(?!\n)$"
