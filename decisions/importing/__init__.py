"""The import pipeline and the parts its doors share (the `import_decisions` command,
the admin upload through the task queue, `reparse_captures`). Its modules:

- pipeline: `run_import()` and `parse_record()`, the one pipeline: parse, validate,
  write, report;
- sources: files, folders, zips, JSON lines and stdin to records, within the limits;
- parse_ahead: records parsed in a thread ahead of the writer;
- storable, results: what the database would refuse, and what happened to each record;
- writing, losses, captures: a batch's transaction, the loss rule, the provenance kept;
- progress: the command's progress line; uploads: the admin's door.

Nothing is imported here: `sources`, `parse_ahead` and `progress` need no Django (a
child process reads files with them alone, tests/test_import_limits.py), and an import
here would load the models with them. The logger is "decisions.importing".
"""
