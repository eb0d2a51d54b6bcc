"""Analytics (issue 11): the event trail of every conversation, redacted, and the dashboard's metrics.

`ingest` copies new rows of Rasa's SQL tracker store into `conversation_turns` (personal data redacted);
`metrics` computes the dashboard from those turns and the backend's own logs (knowledge-base ratings and
unanswered questions, recommendation clicks, offers and offer decisions, handoff tickets). See docs/analytics.md.
"""
