"""The evidence rules, one small function per rule, grouped by claim kind."""
