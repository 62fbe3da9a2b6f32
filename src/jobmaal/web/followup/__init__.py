"""Municipal follow-up: employment plans, targets, local indicators, approval and audit."""
