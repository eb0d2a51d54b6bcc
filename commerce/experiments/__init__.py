"""A/B tests: experiments kept in the database, deterministic assignment, exposure and outcome logs, a report."""
