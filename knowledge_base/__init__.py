"""The FAQ knowledge base: entries, retrieval, feedback ranking and admin editing (issue 5)."""
