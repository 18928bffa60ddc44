"""Command-line interface: argument parsing, the single error boundary, exit codes."""
