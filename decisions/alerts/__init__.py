"""Email alerts: a saved search run again over the decisions that entered the archive
since its last send, up to the position the search index reflects (README, "Email
alerts"). A door out like the feeds, reading through DecisionSearch.

- `models`: the alert, the digest sent to an address, and what each alert delivered.
- `tokens`: the signed links (confirm, unsubscribe, manage), no account and no password.
- `subscribing`: a sign-up, within the limits, and its confirmation email.
- `window`: which decisions each alert has to send in a run (the index's side).
- `sending`: one run of `send_alerts`, crash-safe; `messages` builds the digest email.
- `views`, `urls`, `admin`, `management/commands/send_alerts.py`: the doors.
"""
